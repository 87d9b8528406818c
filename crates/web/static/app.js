// Every htmx request carries the page's CSRF token.
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) { e.detail.headers["X-CSRF-Token"] = m.content; }
});

// Print buttons and confirmations without inline script (the Content-Security-Policy
// allows scripts from this site only).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  // "Quay lại" on the error page: back to the page before when there is one.
  if (e.target.closest && e.target.closest("[data-back]") && window.history.length > 1) {
    e.preventDefault();
    window.history.back();
  }
});
document.addEventListener("submit", function (e) {
  var m = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (m && !window.confirm(m)) { e.preventDefault(); }
}, true);

// The public feedback form's proof of work (domain::feedback::pow): find a nonce such
// that SHA-256("challenge:nonce") starts with the given number of zero bits, then send.
// SHA-256 is computed here because crypto.subtle exists only on HTTPS pages.
var CCHC_K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
  0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
  0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
  0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
  0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
  0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
  0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
  0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
function cchcSha256(bytes) {
  var h = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
  var l = bytes.length, n = ((l + 9 + 63) >> 6) << 6, m = new Uint8Array(n), w = new Array(64);
  m.set(bytes); m[l] = 0x80;
  var bits = l * 8; m[n - 4] = bits >>> 24; m[n - 3] = bits >>> 16; m[n - 2] = bits >>> 8; m[n - 1] = bits;
  for (var o = 0; o < n; o += 64) {
    for (var i = 0; i < 16; i++) { w[i] = (m[o+4*i] << 24) | (m[o+4*i+1] << 16) | (m[o+4*i+2] << 8) | m[o+4*i+3]; }
    for (i = 16; i < 64; i++) {
      var a = w[i-15], b = w[i-2];
      var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i-16] + s0 + w[i-7] + s1) | 0;
    }
    var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
      var t1 = (H + S1 + ((E & F) ^ (~E & G)) + CCHC_K[i] + w[i]) | 0;
      var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
      var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
      H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
    }
    h[0] = (h[0] + A) | 0; h[1] = (h[1] + B) | 0; h[2] = (h[2] + C) | 0; h[3] = (h[3] + D) | 0;
    h[4] = (h[4] + E) | 0; h[5] = (h[5] + F) | 0; h[6] = (h[6] + G) | 0; h[7] = (h[7] + H) | 0;
  }
  return h;
}
function cchcLeadingZeros(h) {
  var n = 0;
  for (var i = 0; i < 8; i++) { if (h[i] === 0) { n += 32; } else { return n + Math.clz32(h[i]); } }
  return n;
}
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (!f.getAttribute || !f.getAttribute("data-pow") || f.nonce.value) { return; }
  e.preventDefault();
  var challenge = f.getAttribute("data-pow"), need = parseInt(f.getAttribute("data-pow-bits"), 10);
  var enc = new TextEncoder(), btn = f.querySelector("button[type=submit]");
  if (btn) { btn.disabled = true; btn.textContent = "Đang xác minh…"; }
  var nonce = 0;
  (function step() {
    for (var k = 0; k < 2000; k++, nonce++) {
      if (cchcLeadingZeros(cchcSha256(enc.encode(challenge + ":" + nonce))) >= need) {
        f.nonce.value = String(nonce);
        f.submit();
        return;
      }
    }
    setTimeout(step, 0);
  })();
});
