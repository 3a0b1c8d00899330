// Parse Mermaid diagrams with the real library: reads a JSON array of diagram texts on stdin and
// prints a JSON array of {ok, type, error}. mermaid.parse() sanitises labels with DOMPurify, which
// needs a DOM under Node (without one: "DOMPurify.addHook is not a function"), so jsdom provides it.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error.message ?? error).split("\n").slice(0, 4).join("\n") });
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
