// What a run adds to its report beyond the curves: a character model's samples at two
// temperatures and the histograms of its LSTM gates over dev text (are they saturated at 0 and
// 1, or not?); a tagger's tagged test sentences and a speller's spelled test numbers, with the
// misses marked.
import { escapeXml, histogram } from '../plot/svg.js';
import { CharsRun, PosRun, SpellRun, type Run } from '../experiments/index.js';
import { spellBatch, spellNumber, spellWords } from '../tasks/index.js';
import { withScope } from '../index.js';

export interface ReportSection {
  heading: string;
  html: string;
  /** Printed to the console too. */
  text?: string;
}

export function charsSections(run: CharsRun): ReportSection[] {
  const samples = [0.5, 1.0].map((temperature) => ({
    temperature,
    text: run.lm.sample({ length: 300, temperature, prime: 'The ', seed: run.settings.seed }),
  }));
  const text = samples.map((s) => `sample at temperature ${s.temperature}:\n${s.text}`).join('\n\n');
  const sections: ReportSection[] = [
    {
      heading: 'Samples',
      html: samples.map((s) => `<h3>temperature ${s.temperature}</h3><pre>${escapeXml(s.text)}</pre>`).join('\n'),
      text,
    },
  ];
  const trace = run.lm.trace(run.devText.slice(0, 1000));
  const gates = (['f', 'i', 'o'] as const).filter((g) => trace[g] !== undefined);
  if (gates.length > 0) {
    // One typed array per gate (as numbers in an ordinary array, the three gates' values took tens of MB).
    const values = (gate: 'f' | 'i' | 'o') => {
      const rows = trace[gate],
        H = rows[0].length,
        out = new Float64Array(rows.length * H);
      rows.forEach((row, t) => out.set(row, t * H));
      return out;
    };
    sections.push({
      heading: 'Gate saturation over 1,000 characters of dev text',
      html:
        `<p>How often each gate takes each value, over every unit and character: a gate near 0 shuts its path, near 1 opens it fully (bins of 0.05).</p>\n` +
        gates
          .map((g) =>
            histogram(values(g), {
              title: `${{ f: 'forget', i: 'input', o: 'output' }[g]} gate`,
              xLabel: 'activation',
              yLabel: 'share of values',
              bins: 20,
              range: [0, 1],
            }),
          )
          .join('\n'),
    });
  }
  return sections;
}

/** How many test examples a report shows. */
const SHOWN = 12;

/** Test sentences tagged by a pos run: each word with its tag, a wrong tag shown as tag≠gold. */
export function posSections(run: PosRun): ReportSection[] {
  const sentences = run.splits.test.slice(0, SHOWN / 2);
  const tags = withScope(() => run.tagger.tag(sentences.map((s) => s.words)));
  let wrong = 0,
    total = 0;
  const lines = sentences.map((s, q) =>
    s.words.map((w, t) => {
      total++;
      const ok = tags[q][t] === s.tags[t];
      if (!ok) wrong++;
      return { w, tag: tags[q][t], gold: s.tags[t], ok };
    }),
  );
  const text = lines.map((l) => l.map((x) => `${x.w}/${x.ok ? x.tag : `${x.tag}≠${x.gold}`}`).join(' ')).join('\n');
  const html = lines
    .map(
      (l) =>
        `<p style="font-family:monospace">${l.map((x) => `${escapeXml(x.w)}/${x.ok ? escapeXml(x.tag) : `<mark title="gold ${escapeXml(x.gold)}">${escapeXml(x.tag)}≠${escapeXml(x.gold)}</mark>`}`).join(' ')}</p>`,
    )
    .join('\n');
  return [
    {
      heading: `The first ${sentences.length} test sentences, tagged`,
      html: `<p>${wrong} of ${total} tags wrong, marked as predicted≠gold.</p>\n${html}`,
      text: `the first ${sentences.length} test sentences, tagged (${wrong} of ${total} wrong, marked predicted≠gold):\n${text}`,
    },
  ];
}

/** Held-out numbers spelled by a spell run (greedy decoding), the misses marked with the right spelling. */
export function spellSections(run: SpellRun): ReportSection[] {
  const every = Math.max(1, Math.floor(run.testNumbers.length / SHOWN));
  const numbers = run.testNumbers.filter((_, q) => q % every === 0).slice(0, SHOWN);
  const batch = spellBatch(numbers);
  const decoded = withScope(() => run.model.generate(batch.inputs, batch.B, batch.U + 2));
  const rows = numbers.map((n, q) => {
    const said = decoded[q].map((token) => spellWords[token] ?? '?').join(' '),
      right = spellNumber(n).join(' ');
    return { n, said, right, ok: said === right };
  });
  const misses = rows.filter((r) => !r.ok).length;
  const text = rows.map((r) => `${r.n} → ${r.said}${r.ok ? '' : `   ✗ (${r.right})`}`).join('\n');
  const html = `<table><tr><th>number</th><th>spelled</th><th></th></tr>${rows.map((r) => `<tr><td>${r.n}</td><td>${r.ok ? escapeXml(r.said) : `<mark>${escapeXml(r.said)}</mark>`}</td><td>${r.ok ? '✓' : `✗ ${escapeXml(r.right)}`}</td></tr>`).join('')}</table>`;
  return [
    {
      heading: `${numbers.length} of the held-out numbers, spelled`,
      html: `<p>${misses} of ${numbers.length} wrong (marked, with the right spelling).</p>\n${html}`,
      text: `${numbers.length} of the held-out numbers, spelled (${misses} wrong):\n${text}`,
    },
  ];
}

/** The sections a run's report adds, by the kind of run. */
export function runSections(run: Run): ReportSection[] {
  if (run instanceof CharsRun) return charsSections(run);
  if (run instanceof PosRun) return posSections(run);
  if (run instanceof SpellRun) return spellSections(run);
  return [];
}
