// A parsed YAML file that still knows where each node came from, so rules can report the exact line.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';

export class YamlSource {
  readonly lineCounter = new LineCounter();
  readonly root: Node | null;
  /** YAML syntax errors, already as `line: message`. */
  readonly syntaxErrors: { line: number; message: string }[];

  constructor(readonly text: string) {
    const doc = parseDocument(text, { lineCounter: this.lineCounter, keepSourceTokens: false });
    this.root = (doc.contents as Node | null) ?? null;
    this.syntaxErrors = doc.errors.map((error) => ({
      line: error.linePos?.[0]?.line ?? 0,
      message: error.message.split('\n')[0] ?? error.message,
    }));
  }

  /** 1-based line of a character offset into the text. */
  lineAt(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }

  /** 1-based line where a node starts (0 when the node has no position). */
  lineOf(node: Node | null | undefined): number {
    return node?.range ? this.lineAt(node.range[0]) : 0;
  }

  /** The raw source text of a node (what the author wrote, with block-scalar indentation). */
  sourceOf(node: Node): string {
    return node.range ? this.text.slice(node.range[0], node.range[1]) : '';
  }

  /** The full source line (1-based). */
  lineText(line: number): string {
    return this.text.split(/\r?\n/)[line - 1] ?? '';
  }
}

/** The key/value pairs of a mapping node, keys as strings; [] for anything that is not a mapping. */
export function entriesOf(node: unknown): { key: string; keyNode: Node; value: Node | null }[] {
  if (!isMap(node)) return [];
  return (node.items as Pair<Node, Node | null>[]).map((pair) => ({
    key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
    keyNode: pair.key,
    value: pair.value ?? null,
  }));
}

export function valueAt(node: unknown, key: string): Node | null {
  return entriesOf(node).find((entry) => entry.key === key)?.value ?? null;
}

export function hasKey(node: unknown, key: string): boolean {
  return entriesOf(node).some((entry) => entry.key === key);
}

export function itemsOf(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

/** A scalar's value as a string, or undefined for anything else. */
export function stringOf(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}
