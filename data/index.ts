export { loadBrown, brownSplit, parseBrownFile, universalTag, brownCategories, type Sentence, type Split, type Tagset, type BrownSplits } from './brown.js';
