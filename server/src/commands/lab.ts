import { labDown, labUp } from '../lab/index.js';
import { escapeText } from '../terminal.js';

const print = (line: string): void => {
  process.stdout.write(`${escapeText(line)}\n`);
};

/** `vethmap lab up [scenario]`: build the demo lab (idempotent). */
export async function up(scenario: string): Promise<void> {
  await labUp(scenario, print);
}

/** `vethmap lab down`: remove everything the lab recorded, and nothing else. */
export async function down(): Promise<void> {
  await labDown(print);
}
