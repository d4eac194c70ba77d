// Links: a schema table per lab reads every setting from the address's hash and writes
// it back. Each row reads one key's text into the state (throwing an Error that says
// what was expected) and writes it back (null: the default, left out).

// Reading and writing values. Each reader throws an Error whose message says what was
// expected; the page shows it with the key.

export function number(text, { min = -1e6, max = 1e6, integer = false } = {}) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

export function numbers(text, count, options) {
  const parts = text.split(',');
  if (parts.length !== count) throw new Error(`expected ${count} numbers separated by commas`);
  return parts.map((p) => number(p, options));
}

export function oneOf(text, choices) {
  if (!choices.includes(text)) throw new Error(`expected one of ${choices.join(', ')}`);
  return text;
}

/** `id:key=value,...` against a catalogue entry's keys; values are numbers or booleans. */
export function spec(text, entries, kind) {
  const [id, rest = ''] = text.split(/:(.*)/s);
  const entry = entries.find((e) => e.id === id);
  if (!entry) throw new Error(`unknown ${kind} "${id.slice(0, 40)}"`);
  const params = {};
  for (const pair of rest.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    const parameter = entry.parameters.find((p) => p.key === key);
    if (!parameter || value === undefined) throw new Error(`${id} has no parameter "${String(key).slice(0, 40)}"`);
    params[key] = parameter.kind === 'true or false'
      ? oneOf(value, ['true', 'false']) === 'true'
      : number(value, { min: -1e300, max: 1e300, integer: parameter.kind === 'whole number' });
  }
  return { id, params };
}

/** Every parameter of a catalogue entry at its default: numbers and booleans, from the
 * catalogue's text. */
export function defaultParams(entry) {
  const value = (p) => (p.kind === 'true or false' ? p.default === 'true' : Number(p.default));
  return Object.fromEntries(entry.parameters.map((p) => [p.key, value(p)]));
}

/**
 * The schema row of a setting chosen from a list of entries, `key=id:name=value,…`:
 * the parameters a link leaves out keep the entry's defaults, and only those that differ
 * are written. `entries(context)` gives the list; `omitted(id)` leaves the key out.
 */
export function entryRow(key, field, kind, entries, omitted = () => false) {
  return {
    key,
    read(state, text, context) {
      const list = entries(context);
      const { id, params } = spec(text, list, kind);
      state[field] = { id, params: { ...defaultParams(list.find((e) => e.id === id)), ...params } };
    },
    write(state, context) {
      const { id, params } = state[field];
      if (omitted(id)) return null;
      return specText(id, params, defaultParams(entries(context).find((e) => e.id === id)));
    },
  };
}

/** `id:key=value,...` with only the values that differ from `defaults`. */
export function specText(id, params, defaults) {
  const pairs = Object.entries(params)
    .filter(([key, value]) => value !== defaults[key])
    .map(([key, value]) => `${key}=${value}`);
  return pairs.length ? `${id}:${pairs.join(',')}` : id;
}


/** Hash text: readable, with only what a fragment cannot hold escaped. */
const escape = (text) =>
  encodeURIComponent(text).replace(/%(3A|2C|7C|3D)/gi, (match) => decodeURIComponent(match));

/**
 * The state a hash describes under `schema`, starting from `initial()`, and the
 * problems met: `[{key, reason}]`, one per key that was malformed or out of range and
 * so left at its default. Unknown keys are ignored.
 */
export function readLink(hash, schema, initial, context) {
  const state = initial();
  const problems = [];
  for (const part of hash.replace(/^#/, '').split('&').filter(Boolean)) {
    const [rawKey, rawValue = ''] = part.split(/=(.*)/s);
    let key;
    let value;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue);
    } catch {
      problems.push({ key: rawKey.slice(0, 40), reason: 'malformed escape' });
      continue;
    }
    const row = schema.find((r) => r.key === key);
    if (!row) continue;
    const before = structuredClone(state);
    try {
      row.read(state, value, context, problems);
    } catch (error) {
      Object.assign(state, before);
      problems.push({ key, reason: error.message });
    }
  }
  return { state, problems };
}

/** The hash that reproduces `state` under `schema`. */
export function writeLink(state, schema, initial, context) {
  const defaults = initial();
  return schema.map((row) => [row.key, row.write(state, context, defaults)])
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}=${escape(value)}`)
    .join('&');
}
