// Loaded before each spec file (node --import, by spec/run.ts), as a program's start-up:
// choose the backend RNNLAB_BACKEND names for this pass of the suite.
import { setBackendByVariable } from '../core/backend.js';

setBackendByVariable('RNNLAB_BACKEND', process.env.RNNLAB_BACKEND);
