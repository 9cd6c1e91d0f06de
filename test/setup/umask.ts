// Folders the tests create for evident's state must not be group-writable, or evident
// rightly refuses them (docs/evidence.md, "The state folder is yours alone"): the same
// umask on every machine, whatever the developer's own (Ubuntu users often have 002).
export default function setup(): void {
  process.umask(0o022);
}
