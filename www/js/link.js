// Links: a schema table per lab reads every setting from the address's hash and writes
// it back. A row reads one key's text into the state, throwing an Error that says what
// was expected when the text is malformed, and writes it back (null: the default, left
// out). Rows check form only — a number, a whole number, a name — and the core checks
// meaning (ranges, what fits what) when the state is applied: one validation, the
// core's, for links, controls and the command line alike.

/**
 * The longest value a link may give one key (the core's limit on a network's slice,
 * whose definition may carry 300 points of one's own); longer ones are refused, not echoed.
 */
export const LONGEST_VALUE = 40_000;

/** A value quoted in a message: at most 40 characters of it. */
export const quote = (text) => JSON.stringify(String(text).slice(0, 40));

export function number(text) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error('expected a number');
  return value === 0 ? 0 : value; // −0 reads as 0
}

/** The largest whole number a link may give: the core checks each setting's range. */
const MOST_WHOLE = 2 ** 32 - 1;

/** A whole number from 0 to 2³² − 1. */
export function whole(text) {
  const value = number(text);
  if (!Number.isInteger(value) || value < 0 || value > MOST_WHOLE) throw new Error(`expected a whole number from 0 to ${MOST_WHOLE}`);
  return value;
}

export function numbers(text, count, read = number) {
  const parts = text.split(',');
  if (parts.length !== count) throw new Error(`expected ${count} numbers separated by commas`);
  return parts.map((p) => read(p));
}

export function oneOf(text, choices) {
  if (!choices.includes(text)) throw new Error(`expected one of ${choices.join(', ')}`);
  return text;
}

/** A parameter's text as the core reads it: a number, true or false, or else text. */
export function paramValue(text) {
  if (text === 'true' || text === 'false') return text === 'true';
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/** `id:key=value,...` as `{id, params}`; the core decides what the id and keys mean. */
export function spec(text) {
  const [id, rest = ''] = text.split(/:(.*)/s);
  if (!id) throw new Error('expected a name before the ":"');
  const params = {};
  for (const pair of rest.split(',').filter(Boolean)) {
    const [key, value] = pair.split(/=(.*)/s);
    if (!key || value === undefined) throw new Error(`expected key=value, not ${quote(pair)}`);
    params[key] = paramValue(value);
  }
  return { id, params };
}

/** Every parameter of a catalogue entry at its default, as numbers and booleans. */
export function defaultParams(entry) {
  const value = (p) => ({ 'true or false': p.default === 'true', text: p.default })[p.kind] ?? Number(p.default);
  return Object.fromEntries((entry?.parameters ?? []).map((p) => [p.key, value(p)]));
}

/**
 * `params` over the entry's defaults, each value of the kind its parameter has (a link
 * may say amsgrad=1): what the page holds for a setting picked from a list.
 */
export function withDefaults(entry, params) {
  const all = { ...defaultParams(entry), ...params };
  for (const p of entry?.parameters ?? []) {
    if (p.kind === 'true or false' && typeof all[p.key] !== 'boolean') all[p.key] = Boolean(all[p.key]);
  }
  return all;
}

/** `id:key=value,...` with only the values that differ from `defaults`. */
export function specText(id, params, defaults = {}) {
  const pairs = Object.entries(params)
    .filter(([key, value]) => value !== defaults[key])
    .map(([key, value]) => `${key}=${value}`);
  return pairs.length ? `${id}:${pairs.join(',')}` : id;
}

/**
 * The row of a setting picked from a list of entries, `key=id:name=value,…`: the
 * parameters a link leaves out keep the entry's defaults, and only those that differ
 * are written. `entries(context)` gives the list; `omitted(state)` leaves the key out.
 */
export function entryRow(key, field, entries, omitted = () => false) {
  return {
    key,
    field,
    read(state, text, context) {
      const { id, params } = spec(text);
      state[field] = { id, params: withDefaults(entries(context).find((e) => e.id === id), params) };
    },
    write(state, context) {
      if (omitted(state)) return null;
      const { id, params } = state[field];
      return specText(id, params, defaultParams(entries(context).find((e) => e.id === id)));
    },
  };
}

/** A row of a plain value: `read(text)` parses it; left out while it is the initial one. */
export function valueRow(key, field, read, write = String) {
  return {
    key,
    field,
    read(state, text) {
      state[field] = read(text);
    },
    write: (state, _, initial) => (state[field] === initial[field] ? null : write(state[field])),
  };
}

/** A row of a switch, written `1` or `0`. */
export function flagRow(key, field) {
  return valueRow(key, field, (text) => oneOf(text, ['0', '1']) === '1', (on) => (on ? '1' : '0'));
}

/** The row of an embed's `controls=`: names that `known(name)` accepts; others are
 * named in a problem and dropped. */
export function controlsRow(known, renamed = {}) {
  return {
    key: 'controls',
    field: 'controls',
    read(state, text, _, problems) {
      state.controls = text.split(',').map((name) => renamed[name] ?? name).filter((name) => {
        const ok = known(name);
        if (!ok && name) problems.push({ key: 'controls', reason: `unknown control ${quote(name)}` });
        return ok;
      });
    },
    write: (state) => (state.controls ? state.controls.join(',') : null),
  };
}

/** Hash text: readable, with only what a fragment cannot hold escaped. */
export const escape = (text) =>
  encodeURIComponent(text).replace(/%(3A|2C|7C|3D|3B)/gi, (match) => decodeURIComponent(match));

/**
 * The state a hash describes under `schema`, starting from `initial()`, and the
 * problems met: `[{key, reason}]`, one per key that was malformed, unknown or too long,
 * and so left at its default.
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
    if (!row) {
      problems.push({ key: key.slice(0, 40), reason: 'not a setting of this page' });
      continue;
    }
    if (value.length > LONGEST_VALUE) {
      problems.push({ key, reason: `longer than ${LONGEST_VALUE} characters` });
      continue;
    }
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

/** The link keys of the core's problems (`{field, message}`), by the rows' fields. */
export function linkProblems(schema, problems) {
  return problems.map(({ field, message }) => ({
    key: schema.find((row) => row.field === field)?.key ?? field,
    reason: message,
  }));
}

/**
 * A lab's links: `schema(catalogue)` (made once per catalogue) and `initial(catalogue)`
 * give `read(hash, catalogue)` → `{state, problems}`, `write(state, catalogue)` → the
 * hash, `problems(catalogue, coreProblems)` → the core's problems under link keys, and
 * `rows(catalogue)` → the schema itself.
 */
export function linkTable(schema, initial) {
  const tables = new WeakMap();
  const table = (catalogue) => {
    if (!tables.has(catalogue)) tables.set(catalogue, schema(catalogue));
    return tables.get(catalogue);
  };
  return {
    rows: table,
    read: (hash, catalogue) => readLink(hash, table(catalogue), () => initial(catalogue), catalogue),
    write: (state, catalogue) => writeLink(state, table(catalogue), () => initial(catalogue), catalogue),
    problems: (catalogue, problems) => linkProblems(table(catalogue), problems),
  };
}
