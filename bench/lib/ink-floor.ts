// The memory floor of any Ink console on this runtime: Node, production React and Ink
// (with its yoga-layout WebAssembly) rendering one line and re-rendering it every second,
// nothing of evident's. tui-cost.ts prints its RSS beside the console's, so the console's
// own share is visible. Run in a terminal: node bench/lib/ink-floor.ts
process.env.NODE_ENV = 'production';
const { createElement } = await import('react');
const { render, Text } = await import('ink');
delete process.env.NODE_ENV;

let tick = 0;
const frame = () => createElement(Text, null, `NAME    PID    (ink floor, tick ${tick})`);
const app = render(frame());
setInterval(() => {
  tick += 1;
  app.rerender(frame());
}, 1000);
