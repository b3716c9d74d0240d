// What a character-model run adds to its report: samples at two temperatures and the
// histograms of the LSTM gates over dev text (are they saturated at 0 and 1, or not?).
import { escapeXml, histogram } from '../plot/svg.js';
import type { CharsRun } from '../experiments/index.js';


export interface ReportSection {
  heading: string;
  html: string;
  /** Printed to the console too. */
  text?: string;
}

export function charsSections(run: CharsRun): ReportSection[] {
  const samples = [0.5, 1.0].map((temperature) => ({ temperature, text: run.lm.sample({ length: 300, temperature, prime: 'The ', seed: run.settings.seed }) }));
  const text = samples.map((s) => `sample at temperature ${s.temperature}:\n${s.text}`).join('\n\n');
  const sections: ReportSection[] = [{
    heading: 'Samples',
    html: samples.map((s) => `<h3>temperature ${s.temperature}</h3><pre>${escapeXml(s.text)}</pre>`).join('\n'),
    text,
  }];
  const trace = run.lm.trace(run.devText.slice(0, 3000));
  const gates = (['f', 'i', 'o'] as const).filter((g) => trace[g] !== undefined);
  if (gates.length > 0) {
    const values = (gate: 'f' | 'i' | 'o') => trace[gate].flatMap((v) => Array.from(v));
    sections.push({
      heading: 'Gate saturation over 3,000 characters of dev text',
      html: `<p>How often each gate takes each value, over every unit and character: a gate near 0 shuts its path, near 1 opens it fully (bins of 0.05).</p>\n` + gates.map((g) => histogram(values(g), {
        title: `${{ f: 'forget', i: 'input', o: 'output' }[g]} gate`, xLabel: 'activation', yLabel: 'share of values', bins: 20, range: [0, 1],
      })).join('\n'),
    });
  }
  return sections;
}
