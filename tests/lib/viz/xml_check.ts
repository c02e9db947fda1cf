/**
 * A tiny XML well-formedness check for the SVG and HTML the renderers produce: tags balance and
 * nest, attributes are name="value" pairs, text and attribute values contain no raw "<" or bare
 * "&". Not a full parser, but enough to catch a broken renderer, and it has no dependencies.
 */

/** Problems found (empty when well-formed), and how often each element occurs. */
export interface XmlCheck {
  errors: string[];
  counts: Map<string, number>;
  root: string | undefined;
}

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
const ENTITY = /^&(?:amp|lt|gt|quot|#39|#\d+|#x[0-9a-fA-F]+);/;

export function checkXml(doc: string): XmlCheck {
  const errors: string[] = [];
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let root: string | undefined;
  let i = 0;
  while (i < doc.length) {
    const ch = doc[i]!;
    if (ch === "<") {
      TAG.lastIndex = i;
      const m = TAG.exec(doc);
      if (m === null) {
        errors.push(`malformed tag at ${i}: ${JSON.stringify(doc.slice(i, i + 60))}`);
        break;
      }
      const [whole, closing, name, attrText, selfClosing] = m;
      checkAttributeValues(attrText!, i, errors);
      if (closing) {
        const open = stack.pop();
        if (open !== name) errors.push(`</${name}> at ${i} closes <${open ?? "nothing"}>`);
      } else {
        if (root === undefined) root = name;
        else if (stack.length === 0) errors.push(`second root element <${name}> at ${i}`);
        counts.set(name!, (counts.get(name!) ?? 0) + 1);
        if (!selfClosing) stack.push(name!);
      }
      i += whole!.length;
    } else if (ch === "&") {
      if (!ENTITY.test(doc.slice(i, i + 12))) errors.push(`bare & at ${i}: ${JSON.stringify(doc.slice(i, i + 20))}`);
      i++;
    } else if (ch === ">") {
      // A ">" in text is legal XML, but the renderers escape it, so one here means a broken tag.
      errors.push(`stray > at ${i}`);
      i++;
    } else {
      if (stack.length === 0 && !/\s/.test(ch)) errors.push(`text outside the root at ${i}`);
      i++;
    }
  }
  if (stack.length > 0) errors.push(`unclosed: ${stack.join(" > ")}`);
  return { errors, counts, root };
}

function checkAttributeValues(attrText: string, at: number, errors: string[]): void {
  const values = attrText.match(/="[^"]*"/g) ?? [];
  for (const v of values) {
    const inner = v.slice(2, -1);
    for (let k = inner.indexOf("&"); k >= 0; k = inner.indexOf("&", k + 1)) {
      if (!ENTITY.test(inner.slice(k, k + 12))) errors.push(`bare & in attribute near ${at}`);
    }
  }
  const names = (attrText.match(/\s([A-Za-z_:][\w:.-]*)=/g) ?? []).map((s) => s.trim().slice(0, -1));
  if (new Set(names).size !== names.length) errors.push(`repeated attribute near ${at}: ${names.join(" ")}`);
}

/** All values of one attribute on elements of one tag, in document order. */
export function attributeValues(doc: string, tag: string, attr: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}\\s[^>]*?\\b${attr}="([^"]*)"`, "g");
  for (const m of doc.matchAll(re)) out.push(m[1]!);
  return out;
}
