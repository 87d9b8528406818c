'use strict';
// What a person notices without reading: the page scrolls sideways, or the browser
// reports an error.

/**
 * Page-level horizontal overflow: `document.documentElement.scrollWidth <= innerWidth`,
 * and when it fails, the outermost elements that stick out of the viewport and are not
 * inside a box that scrolls or clips on its own (a table in `.wide-scroll` is fine).
 */
async function overflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const vw = window.innerWidth;
    const limit = doc.clientWidth || vw;
    const result = { scrollWidth: doc.scrollWidth, innerWidth: vw, ok: doc.scrollWidth <= vw, offenders: [] };
    if (result.ok) return result;
    const name = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean) : [];
      if (cls.length) s += `.${cls.join('.')}`;
      return s;
    };
    const pathOf = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) parts.unshift(name(e));
      return parts.join(' > ');
    };
    const clippedByAncestor = (el) => {
      for (let p = el.parentElement; p && p !== document.body && p !== doc; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const sticksOut = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > limit + 0.5 || r.left < -0.5);
    };
    const all = [...document.body.querySelectorAll('*')].filter((el) => sticksOut(el) && !clippedByAncestor(el));
    const set = new Set(all);
    const describe = (el, kind) => {
      const r = el.getBoundingClientRect();
      const text = (el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 60);
      return `${kind} ${pathOf(el)} [left ${Math.round(r.left)}, right ${Math.round(r.right)}, width ${Math.round(r.width)}]${text ? ` «${text}»` : ''}`;
    };
    // The outermost offender of each branch says where to look, the innermost what
    // pushes it out.
    const roots = all.filter((el) => !set.has(el.parentElement)).slice(0, 6);
    const leaves = all.filter((el) => ![...el.children].some((c) => set.has(c))).slice(0, 6);
    for (const el of roots) result.offenders.push(describe(el, 'outermost:'));
    for (const el of leaves) if (!roots.includes(el)) result.offenders.push(describe(el, 'innermost:'));
    return result;
  });
}

function describeOverflow(o) {
  return `scrollWidth ${o.scrollWidth} > innerWidth ${o.innerWidth}; elements sticking out:\n    ${o.offenders.join('\n    ') || '(none found outside scroll boxes)'}`;
}

module.exports = { overflow, describeOverflow };
