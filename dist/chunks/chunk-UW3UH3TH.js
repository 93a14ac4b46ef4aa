import { createRequire as __shCreateRequire } from 'node:module'; const require = __shCreateRequire(import.meta.url);

// src/runners/kill-tree.ts
import { readdirSync, readFileSync } from "node:fs";
function processTable() {
  let names;
  try {
    names = readdirSync("/proc");
  } catch {
    return void 0;
  }
  const table = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), zombie: fields[0] === "Z" || fields[0] === "X" });
    } catch {
    }
  }
  return table;
}
function treeMembers(leader) {
  const table = processTable();
  if (!table) return void 0;
  const children = /* @__PURE__ */ new Map();
  for (const entry of table) {
    const list = children.get(entry.ppid) ?? [];
    list.push(entry.pid);
    children.set(entry.ppid, list);
  }
  const members = new Set(table.filter((e) => e.pgid === leader).map((e) => e.pid));
  const stack = [leader];
  while (stack.length > 0) {
    const pid = stack.pop();
    members.add(pid);
    for (const child of children.get(pid) ?? []) if (!members.has(child)) stack.push(child);
  }
  const live = new Set(table.filter((e) => !e.zombie).map((e) => e.pid));
  return [...members].filter((pid) => live.has(pid));
}
function signal(target, name) {
  try {
    process.kill(target, name);
  } catch {
  }
}
function groupExists(leader) {
  try {
    process.kill(-leader, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function anyAlive(leader, known) {
  const table = processTable();
  if (!table) return groupExists(leader);
  return table.some((entry) => !entry.zombie && (entry.pgid === leader || known.has(entry.pid)));
}
function treeAlive(leader) {
  if (!groupExists(leader)) return false;
  return anyAlive(leader, /* @__PURE__ */ new Set());
}
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitGone(leader, known, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!anyAlive(leader, known)) return true;
    await sleep(25);
  }
  return !anyAlive(leader, known);
}
function signalAll(leader, known, name) {
  signal(-leader, name);
  for (const pid of known) signal(pid, name);
}
async function killTree(leader, graceMs) {
  const known = new Set(treeMembers(leader) ?? []);
  if (known.size === 0 && !groupExists(leader)) return;
  signalAll(leader, known, "SIGTERM");
  if (await waitGone(leader, known, graceMs)) return;
  for (const pid of treeMembers(leader) ?? []) known.add(pid);
  signalAll(leader, known, "SIGKILL");
  await waitGone(leader, known, 2e3);
}

// src/runners/supervise.ts
function childEnded(child) {
  return new Promise((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, spawnError: error }));
    child.once("exit", (code, signal2) => resolve({ code, signal: signal2 }));
  });
}
async function superviseTree(pid, ended, options) {
  let timedOut = false;
  let aborted = false;
  let killing;
  const kill = () => {
    if (pid !== void 0 && !killing) killing = killTree(pid, options.killGraceMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  const { signal: signal2 } = options;
  if (signal2?.aborted) onAbort();
  else signal2?.addEventListener("abort", onAbort, { once: true });
  const end = await ended;
  clearTimeout(timer);
  signal2?.removeEventListener("abort", onAbort);
  if (!killing && pid !== void 0 && !end.spawnError && treeAlive(pid)) kill();
  await killing;
  return { end, timedOut, aborted };
}

export {
  childEnded,
  superviseTree
};
