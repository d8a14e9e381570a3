// Building the page's elements: text always as text, never as HTML.

export const $ = (id) => document.getElementById(id);

/** An element with attributes (null/false ones skipped) and children (strings become text, never HTML). */
export function el(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attributes, children);
}

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "style") {
      // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
      for (const [property, setting] of Object.entries(value)) node.style.setProperty(property, setting);
      continue;
    }
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
