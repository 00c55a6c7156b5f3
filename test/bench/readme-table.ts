/**
 * Copies the last full benchmark run's table (results/latest.md, written by `npm run bench`) into
 * README.md between its `<!-- bench:latest -->` markers, so the README's table is the run's own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR } from './report';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- bench:latest -->';
const END = '<!-- /bench:latest -->';

const table = readFileSync(`${RESULTS_DIR}latest.md`, 'utf8').trim();
const readme = readFileSync(README, 'utf8');
const [from, to] = [readme.indexOf(START), readme.indexOf(END)];
if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block to replace`);
writeFileSync(README, `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`);
console.log(`README.md: the benchmark table replaced from ${RESULTS_DIR}latest.md`);
