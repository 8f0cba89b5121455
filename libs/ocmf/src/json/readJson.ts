import { quoteBounded } from '../model/quoteBounded';

/**
 * The source text of every number of a document read by `readJson`, by the object or array that
 * holds it and its key (for arrays, the index as text). A JS number cannot say how it was written
 * (`100.000`, `1e400`, a 33-digit register): the typed layer reads the text instead.
 */
export type JsonNumberTexts = Map<object, Map<string, string>>;

/**
 * A departure from RFC 8259 that the tolerant reader accepts, because the legal reference software
 * (S.A.F.E. Transparenzsoftware, Gson 2.8.9 in lenient mode) reads it: a raw control character
 * inside a string, and a number with leading zeros, a `+`, or a bare `.` (read by Gson as an
 * unquoted literal and then by `Double.parseDouble`).
 */
export interface JsonTolerance {
  kind: 'control-character-in-string' | 'non-canonical-number';
  /** Offset in the text read. */
  offset: number;
  /** The number as written, or the control character as `U+0001`. */
  text: string;
}

/** A number a JS number cannot hold (`1e400`, 400 digits): `value` has Infinity there. */
export interface JsonOverflow {
  /** Where: `RD[1].RV`, `UX` (the first 8 levels). Only the first 16 overflowing numbers are listed. */
  path: string;
  /** As written. */
  text: string;
}

export type JsonRead =
  | { ok: true; value: unknown; numbers: JsonNumberTexts; tolerated: JsonTolerance[]; overflows: JsonOverflow[] }
  | { ok: false; offset: number; reason: string };

export interface ReadJsonOptions {
  /** Accept the departures listed in `JsonTolerance` (and report them) instead of refusing them. */
  tolerant?: boolean;
}

// Both grammars are deterministic (no two ways to match the same digits), so a 256 KiB number
// token is matched in linear time.
const RFC8259_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const LENIENT_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

interface Frame {
  node: Record<string, unknown> | unknown[];
  /** The key (object) or index (array, as text) the next value goes to. */
  key: string;
  array: boolean;
  /** The number texts of this container, once it holds a number. */
  texts?: Map<string, string>;
}

/**
 * Reads one JSON text into the same values `JSON.parse` gives (objects, arrays, strings, numbers,
 * booleans, null; the last of duplicate keys wins; `__proto__` is an ordinary key), and also keeps
 * each number's source text. Never throws, and its work and memory are proportional to the text:
 * no recursion (nesting depth is bounded only by the text), no value is expanded.
 */
export function readJson(text: string, options: ReadJsonOptions = {}): JsonRead {
  return new JsonTextReader(text, options.tolerant === true).read();
}

class JsonTextReader {
  private readonly n: number;
  private i = 0;
  private readonly numbers: JsonNumberTexts = new Map();
  private readonly tolerated: JsonTolerance[] = [];
  private readonly overflows: JsonOverflow[] = [];
  private readonly stack: Frame[] = [];
  private failure = { offset: 0, reason: '' };
  /** The last string or number token read. */
  private token = '';

  constructor(
    private readonly text: string,
    private readonly tolerant: boolean,
  ) {
    this.n = text.length;
  }

  read(): JsonRead {
    const { text, stack } = this;
    this.skipSpace();
    for (;;) {
      let value: unknown;
      let numberText: string | undefined;
      const c = text.charCodeAt(this.i);
      if (c === 0x7b /* { */) {
        this.i++;
        this.skipSpace();
        if (text.charCodeAt(this.i) === 0x7d) {
          this.i++;
          value = {};
        } else {
          const frame: Frame = { node: {}, key: '', array: false };
          if (!this.readKey(frame)) return this.failed();
          stack.push(frame);
          continue;
        }
      } else if (c === 0x5b /* [ */) {
        this.i++;
        this.skipSpace();
        if (text.charCodeAt(this.i) === 0x5d) {
          this.i++;
          value = [];
        } else {
          stack.push({ node: [], key: '0', array: true });
          continue;
        }
      } else if (c === 0x22) {
        if (!this.readString()) return this.failed();
        value = this.token;
      } else if (c === 0x74 && text.startsWith('true', this.i)) {
        value = true;
        this.i += 4;
      } else if (c === 0x66 && text.startsWith('false', this.i)) {
        value = false;
        this.i += 5;
      } else if (c === 0x6e && text.startsWith('null', this.i)) {
        value = null;
        this.i += 4;
      } else {
        if (!this.readNumber()) return this.failed();
        numberText = this.token;
        value = Number(numberText);
      }

      // The value is complete: hand it to its container, and close every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.skipSpace();
          if (this.i < this.n) {
            this.expected('the end of the text after the JSON value');
            return this.failed();
          }
          if (numberText !== undefined && !Number.isFinite(value)) this.overflows.push({ path: '(the whole text)', text: numberText });
          return { ok: true, value, numbers: this.numbers, tolerated: this.tolerated, overflows: this.overflows };
        }
        this.put(top, value, numberText);
        numberText = undefined;
        this.skipSpace();
        const d = text.charCodeAt(this.i);
        if (d === 0x2c /* , */) {
          this.i++;
          this.skipSpace();
          if (top.array) top.key = String((top.node as unknown[]).length);
          else if (!this.readKey(top)) return this.failed();
          break;
        }
        if (d === (top.array ? 0x5d : 0x7d)) {
          this.i++;
          stack.pop();
          value = top.node;
          continue;
        }
        this.expected(top.array ? '"," or "]" in an array' : '"," or "}" in an object');
        return this.failed();
      }
    }
  }

  private failed(): JsonRead {
    return { ok: false, ...this.failure };
  }

  private failAt(offset: number, reason: string): false {
    this.failure = { offset, reason };
    return false;
  }

  private expected(what: string): false {
    const i = this.i;
    return this.failAt(i, `expected ${what} at offset ${i}, found ${i >= this.n ? 'the end of the text' : quoteBounded(this.text.slice(i, i + 16))}`);
  }

  private skipSpace(): void {
    const text = this.text;
    let i = this.i;
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
    this.i = i;
  }

  private readString(): boolean {
    const text = this.text;
    const open = this.i;
    let i = open + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= this.n) return this.failAt(open, `string opened at offset ${open} is not closed`);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.token = out + text.slice(chunk, i);
        this.i = i + 1;
        return true;
      }
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            return this.failAt(i, `escape ${quoteBounded(text.slice(i, i + 6))} at offset ${i} is not \\u followed by four hexadecimal digits (RFC 8259 §7)`);
          }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          const decoded = e === undefined ? undefined : ESCAPES[e];
          if (decoded === undefined) {
            return this.failAt(
              i,
              `invalid escape ${quoteBounded(text.slice(i, i + 2))} at offset ${i}: RFC 8259 §7 allows only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX`,
            );
          }
          out += decoded;
          i += 2;
        }
        chunk = i;
        continue;
      }
      if (c < 0x20) {
        const cp = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
        if (!this.tolerant) return this.failAt(i, `raw control character ${cp} in a string at offset ${i}: RFC 8259 §7 requires it to be escaped`);
        this.tolerated.push({ kind: 'control-character-in-string', offset: i, text: cp });
      }
      i++;
    }
  }

  private readNumber(): boolean {
    const text = this.text;
    const start = this.i;
    let i = start;
    for (let c = text.charCodeAt(i); (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45; c = text.charCodeAt(++i));
    this.i = i;
    if (i === start) return this.expected('a JSON value');
    const token = text.slice(start, i);
    if (!RFC8259_NUMBER.test(token)) {
      if (!this.tolerant || !LENIENT_NUMBER.test(token)) {
        return this.failAt(start, `${quoteBounded(token)} at offset ${start} is not a JSON number (RFC 8259 §6)`);
      }
      this.tolerated.push({ kind: 'non-canonical-number', offset: start, text: token });
    }
    this.token = token;
    return true;
  }

  private readKey(frame: Frame): boolean {
    if (this.text.charCodeAt(this.i) !== 0x22) return this.expected('a member name in double quotes');
    if (!this.readString()) return false;
    frame.key = this.token;
    this.skipSpace();
    if (this.text.charCodeAt(this.i) !== 0x3a) return this.expected('":" after a member name');
    this.i++;
    this.skipSpace();
    return true;
  }

  private put(frame: Frame, value: unknown, numberText: string | undefined): void {
    const node = frame.node;
    if (frame.array) (node as unknown[]).push(value);
    else if (frame.key === '__proto__') Object.defineProperty(node, '__proto__', { value, writable: true, enumerable: true, configurable: true });
    else (node as Record<string, unknown>)[frame.key] = value;
    if (numberText !== undefined) {
      if (!Number.isFinite(value) && this.overflows.length < MAX_OVERFLOWS_LISTED) this.overflows.push({ path: pathOf(this.stack), text: numberText });
      if (!frame.texts) this.numbers.set(node, (frame.texts = new Map()));
      frame.texts.set(frame.key, numberText);
    } else if (frame.texts && !frame.array) {
      frame.texts.delete(frame.key); // a duplicate key whose last value is not a number
    }
  }
}

/** Overflowing numbers listed per document (each with its path): enough to say what is wrong, bounded. */
const MAX_OVERFLOWS_LISTED = 16;
const MAX_PATH_DEPTH = 8;

function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (let k = 0; k < stack.length && k < MAX_PATH_DEPTH; k++) {
    const f = stack[k];
    path += f.array ? `[${f.key}]` : k === 0 ? f.key : `.${f.key}`;
  }
  return stack.length > MAX_PATH_DEPTH ? `${path}…` : path;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
