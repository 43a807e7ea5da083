// A stand-in program for the terminal board until the runtime runs CamIoT on it: led0 blinks
// every 500 ms of wall time, led1 follows button0 (key 1), UART bytes are echoed.
// Run: npx tsx scripts/terminal-board-demo.ts [--for 5s]   (Ctrl-C quits)
import { defaultBoard } from '../src/hal/boards/index.js';
import { InterruptQueue } from '../src/hal/driver.js';
import { parseDuration } from '../src/hal/duration.js';
import { NodePlatform } from '../src/hal/node/platform.js';

const forIndex = process.argv.indexOf('--for');
const limit = forIndex > 0 ? parseDuration(process.argv[forIndex + 1] ?? '') : undefined;
const endAt = limit?.ok ? limit.value : Infinity;

let running = true;
const platform = new NodePlatform(defaultBoard(), {
  uartOut: (_d, byte) => void process.stdout.write(String.fromCharCode(byte)),
  onQuit: () => (running = false),
});
const queue = new InterruptQueue(16);
const [button, led0, led1, uart] = ['button0', 'led0', 'led1', 'uart0'].map((n) => {
  const d = platform.device(n);
  if (!d) throw new Error(`no ${n}`);
  d.claim('demo');
  return d;
}) as [
  NonNullable<ReturnType<typeof platform.device>>,
  ...NonNullable<ReturnType<typeof platform.device>>[],
];
button.connect(queue, 0);
uart?.connect(queue, 1);

let level = 0;
let nextBlink = 500_000;
while (running && platform.clock.now() < endAt) {
  await platform.power.sleep(Math.min(nextBlink, endAt));
  for (let m = queue.take(); m; m = queue.take()) {
    if (m.driver === 0) led1?.write(m.value);
    else uart?.write(m.value);
  }
  if (platform.clock.now() >= nextBlink) {
    led0?.write((level ^= 1));
    nextBlink += 500_000;
  }
}
platform.close();
