import { isObject } from '../K8sDocument';

interface ObjectReads {
  value: Record<string, unknown>;
  path: Array<string | number>;
  /** Own keys the validator read. */
  read: Set<string>;
  /** Whether the validator looked up any key at all (present or not), or listed the keys (a map). */
  inspected: boolean;
}

/** A document wrapped so that every field a validator reads is recorded. */
export interface FieldReadRecording<T> {
  /** The document to hand to the validator. */
  proxy: T;
  /**
   * Fields present in the document that the validator never read, in objects it did inspect. A compiled
   * validator (ajv, as kubernetes-models ships them) looks up every property its schema defines, so a
   * field it never read is one the schema does not define. An object the validator never looked into
   * is free-form in its schema (e.g. x-kubernetes-preserve-unknown-fields) and is not reported.
   */
  unread(): Array<Array<string | number>>;
}

/**
 * Wraps a JSON document in recording proxies (objects and arrays, at every depth) without changing it.
 * kubernetes-models ships compiled validators and no JSON schemas, so this is how the strict check
 * learns which fields their schemas define.
 */
export function recordFieldReads<T>(document: T): FieldReadRecording<T> {
  const objects: ObjectReads[] = [];
  const wrap = (value: unknown, path: Array<string | number>): unknown => {
    if (Array.isArray(value)) {
      const cache = new Map<number, unknown>();
      return new Proxy(value, {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) < target.length) {
            const i = Number(key);
            if (!cache.has(i)) cache.set(i, wrap(target[i], [...path, i]));
            return cache.get(i);
          }
          return Reflect.get(target, key, receiver);
        },
      });
    }
    if (!isObject(value)) return value;
    const reads: ObjectReads = { value, path, read: new Set(), inspected: false };
    objects.push(reads);
    const cache = new Map<string, unknown>();
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key !== 'string') return Reflect.get(target, key, receiver);
        reads.inspected = true;
        if (!Object.prototype.hasOwnProperty.call(target, key)) return Reflect.get(target, key, receiver);
        reads.read.add(key);
        if (!cache.has(key)) cache.set(key, wrap(target[key], [...path, key]));
        return cache.get(key);
      },
      ownKeys(target) {
        reads.inspected = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  return {
    proxy: wrap(document, []) as T,
    unread: () => objects.filter((o) => o.inspected).flatMap((o) => Object.keys(o.value).filter((k) => !o.read.has(k)).map((k) => [...o.path, k])),
  };
}
