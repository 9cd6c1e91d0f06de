// Start order from depends_on: every service after all it depends on, and otherwise
// in the order the file lists them, so the order an operator sees is predictable.

export interface DependencyNode {
  name: string;
  dependsOn: readonly string[];
}

export type DependencyOrder = { ok: true; order: string[] } | { ok: false; cycles: string[][] };

/**
 * Orders nodes so each comes after its dependencies; among nodes that are free to go,
 * the earliest in the input goes first. Names that are not nodes are ignored (the caller
 * reports unknown names). With a cycle there is no order: every cycle found is returned,
 * each as names that start and end with the same node (`a → b → a`).
 */
export function dependencyOrder(nodes: readonly DependencyNode[]): DependencyOrder {
  const cycles = findCycles(nodes);
  if (cycles.length > 0) return { ok: false, cycles };
  const known = new Set(nodes.map((n) => n.name));
  const placed = new Set<string>();
  const order: string[] = [];
  // Quadratic, and fine: a fleet has tens of services, and this stays obviously stable.
  while (order.length < known.size) {
    const next = nodes.find(
      (n) => !placed.has(n.name) && n.dependsOn.every((d) => placed.has(d) || !known.has(d)),
    );
    if (next === undefined) break; // unreachable: findCycles found no cycle
    placed.add(next.name);
    order.push(next.name);
  }
  return { ok: true, order };
}

/**
 * Every cycle a depth-first walk meets (one per back edge), in input order, each rotated
 * to start at its earliest node so the same graph always names its cycles the same way.
 * A node depending on itself is the cycle `[a, a]`.
 */
export function findCycles(nodes: readonly DependencyNode[]): string[][] {
  const byName = new Map<string, DependencyNode>();
  for (const node of nodes) if (!byName.has(node.name)) byName.set(node.name, node);
  const position = new Map([...byName.keys()].map((name, i) => [name, i]));
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (name: string): void => {
    path.push(name);
    onPath.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dep) || done.has(dep)) continue;
      if (onPath.has(dep)) {
        const cycle = rotate(path.slice(path.indexOf(dep)), position);
        const key = cycle.join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, cycle[0] ?? dep]);
        }
      } else {
        visit(dep);
      }
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
  };

  for (const name of byName.keys()) if (!done.has(name)) visit(name);
  return cycles;
}

function rotate(cycle: string[], position: Map<string, number>): string[] {
  let start = 0;
  cycle.forEach((name, i) => {
    if ((position.get(name) ?? 0) < (position.get(cycle[start] ?? '') ?? 0)) start = i;
  });
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}
