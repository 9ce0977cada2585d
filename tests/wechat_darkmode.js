/*
 * A model of the dark-mode recolouring WeChat applies to 公众号 articles, written for pufa's tests
 * (tests/test_wechat_darkmode.py injects it into a real Chromium). Our own code, not WeChat's.
 *
 * What it models. In dark mode the WeChat client does not invert an article: it walks the article's
 * elements and rewrites the colours written in their inline styles (the only styles an article keeps),
 * background first, then text, then borders:
 *   - The reading page turns #191919 and unstyled text #a3a3a3 (rgba(255,255,255,.6) over #191919).
 *   - Backgrounds (composited over what is already painted behind them, alpha included):
 *     a grey (no saturation) lighter than HSL L 40, or anything brighter than perceived brightness 250,
 *     has its lightness inverted around the dark page (white becomes #191919, #f7f7f7 becomes #212121);
 *     any other colour brighter than 190 is only dimmed to perceived brightness 190 (it stays a light
 *     slab: a faintly tinted near-white box is the trap); a background darker than HSL L 22 is raised to
 *     L 22; everything else is kept. A translucent background keeps its alpha and gets the colour that
 *     paints the converted result over its backdrop. A gradient is first mixed to one plain colour.
 *   - Text and border colours are judged against the converted background behind them, by the gap in
 *     perceived brightness (W3C AERT: 0.299 R + 0.587 G + 0.114 B): text at least as bright as 250 is
 *     kept; on the plain dark page, text more than 138 brighter than the page (the default text's gap)
 *     is dimmed to that gap; text 65 or more apart from its background is kept AS IS, however low its
 *     contrast ratio (#666 on #191919 is only 3.1:1); text closer than 65 has its HSL lightness flipped
 *     (L -> 90 - L) when it is dark on a dark background (or light on a light one) and is judged again,
 *     otherwise it is set to the brightness the algorithm aims at.
 *   - An element with a background but no text colour of its own gets the inherited light-mode text
 *     colour converted against its new background.
 *   - Under a background image the image cannot be recoloured: the light-mode background is painted
 *     under it and the text inside keeps its light-mode colours, until a descendant paints a visible
 *     background colour (alpha >= 0.05) of its own.
 *   - SVG, iframes and images are left alone. Light mode changes nothing.
 *
 * Sources (read 2026-12; the thresholds 250, 190, 22, 40, 65 and the default colours are mp-darkmode's):
 *   - mp-darkmode, WeChat's open-source algorithm (MIT): README and doc/cn/principle.md ("图文富文本内容
 *     Dark Mode 处理原则": what is converted, in what order, thresholds), doc/cn/API.md (defaults #191919,
 *     #a3a3a3, #fff), https://github.com/wechatjs/mp-darkmode ; its source (src/modules/sdk.ts, color.ts,
 *     constant.ts, config.ts) was read to understand the rules above (the L -> 90 - L flip, the dimming of
 *     over-bright text, the alpha handling), none of it is copied here.
 *   - The WeChat team's account of how it explored dark mode for articles (detection, why neither forced
 *     colours nor inversion, its colour rules), republished at http://m.studyofnet.com/561023692.html and at
 *     https://www.besthub.dev/articles/mastering-dark-mode-for-wechat-articles-techniques-algorithms-performance-330f6aee17d9
 *   - WeChat's own 深色模式 guide for pages (what an H5 page can do; articles cannot):
 *     https://developers.weixin.qq.com/doc/subscription/guide/h5/darkmode.html
 *   - A third-party re-implementation that describes the same rules for previews:
 *     https://wemd-homepage.pages.dev/docs/reference/dark-mode-algorithm.html
 *
 * Where it is an approximation, and which way it leans (stricter = our colours must be better):
 *   - Strict on purpose: the dimming of over-bright text on the page and the "a gap of 65 is enough"
 *     rule are both kept, although they lower contrast; the target brightness for text that is neither
 *     kept nor flipped is the algorithm's (at most 138), which leaves it well under 4.5:1.
 *   - Only inline styles (and the bgcolor / <font color> attributes) are read, as in a published article.
 *   - Raising a brightness spreads what a saturated channel cannot take over the other channels; the
 *     original code puts it in one channel, which a browser may then clamp. Only saturated colours are
 *     affected, and a brighter result there is the lenient side: none of our theme colours get there.
 *   - Borders and text shadows are converted against the backdrop actually painted (the original uses
 *     the page colour for borders); the tests measure text only.
 *   - A gradient is mixed to the plain average of its colour stops (weighted by their alpha).
 *   - Text over a background image is measured against the light colour put under the image, since the
 *     picture itself is unknown: an image with dark areas behind text is not caught.
 *   - Some clients may differ (versions, system web views): the model is the algorithm as published.
 */
"use strict";

window.WechatDarkModel = (() => {
  // WeChat's reading page (mp-darkmode's documented defaults).
  const LIGHT_PAGE = [255, 255, 255];
  const LIGHT_TEXT = [25, 25, 25];
  const DARK_PAGE = [25, 25, 25];
  const DARK_TEXT = [163, 163, 163];
  // Perceived brightness (0–255) and HSL lightness (0–100) thresholds.
  const WHITE_BRIGHTNESS = 250; // this bright counts as white
  const SLAB_BRIGHTNESS = 190; // a light coloured background is dimmed to this
  const LIGHT_BACKDROP = 100; // from here on a background counts as light
  const TEXT_GAP = 65; // the brightness gap that is "enough" between text and background
  const GREY_INVERT_LIGHTNESS = 40; // greys lighter than this are inverted as backgrounds
  const FLIP_LIGHTNESS = 40; // dark text (L <= 40) on a dark background is flipped
  const FLIP_AROUND = 90; // the flip: L -> 90 - L
  const DARKEST_BACKGROUND_LIGHTNESS = 22;
  const VISIBLE_ALPHA = 0.05; // fainter colours are ignored
  const SKIPPED = new Set(["svg", "iframe", "img", "video", "audio", "canvas", "mpcps"]);
  const TABLE_TAGS = new Set(["table", "tr", "td", "th"]);
  const BORDER_SIDES = ["top", "right", "bottom", "left"];

  const brightness = (c) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  const DARK_PAGE_BRIGHTNESS = brightness(DARK_PAGE);
  const MAX_GAP = brightness(DARK_TEXT) - DARK_PAGE_BRIGHTNESS; // 138: the default text's gap

  // --- colours: [r, g, b] 0–255 and [r, g, b, a] with a 0–1 ----------------------------------------
  const probe = document.createElement("canvas").getContext("2d");

  /** Any CSS colour as [r, g, b, a], or null when it is not one. */
  function parse(value) {
    if (!value || !CSS.supports("color", value)) return null;
    if (/^(?:currentcolor|inherit|initial|unset|revert)$/i.test(value.trim())) return null;
    probe.fillStyle = "#000";
    probe.fillStyle = value;
    const out = probe.fillStyle; // "#rrggbb" or "rgba(r, g, b, a)"; other notations are not read
    if (!/^(?:#|rgba?\()/.test(out)) return null;
    if (out[0] === "#") return [1, 3, 5].map((i) => parseInt(out.slice(i, i + 2), 16)).concat([1]);
    const parts = out.match(/[\d.]+/g).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  }

  const css = (c) => (c.length > 3 && c[3] < 1
    ? `rgba(${c.slice(0, 3).map(Math.round).join(", ")}, ${+c[3].toFixed(3)})`
    : `rgb(${c.slice(0, 3).map(Math.round).join(", ")})`);

  /** `top` (possibly translucent) painted over the opaque `below`. */
  const over = (top, below) => {
    const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a));
  };

  /** Translucent `top` over translucent `below`, as one colour (compositing "over"). */
  const stack = (top, below) => {
    const alpha = top[3] + below[3] * (1 - top[3]);
    if (alpha === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / alpha).concat([alpha]);
  };

  /** The colour that, at `alpha` over `below`, paints `target` (as near as a browser can paint it). */
  const through = (target, below, alpha) => {
    if (alpha >= 1) return target.slice(0, 3).concat([1]);
    return [0, 1, 2].map((i) => Math.min(255, Math.max(0, below[i] + (target[i] - below[i]) / alpha)))
      .concat([alpha]);
  };

  function toHsl([r, g, b]) {
    const [x, y, z] = [r / 255, g / 255, b / 255];
    const max = Math.max(x, y, z), min = Math.min(x, y, z);
    const l = (max + min) / 2;
    if (max === min) return [0, 0, l * 100];
    const d = max - min;
    const s = d / (1 - Math.abs(2 * l - 1));
    let h = max === x ? ((y - z) / d) % 6 : max === y ? (z - x) / d + 2 : (x - y) / d + 4;
    h = (h * 60 + 360) % 360;
    return [h, s * 100, l * 100];
  }

  function fromHsl([h, s, l]) {
    const light = l / 100, chroma = (1 - Math.abs(2 * light - 1)) * (s / 100);
    const second = chroma * (1 - Math.abs(((h / 60) % 2) - 1));
    const base = light - chroma / 2;
    const sector = Math.floor(h / 60) % 6;
    const order = [[chroma, second, 0], [second, chroma, 0], [0, chroma, second],
                   [0, second, chroma], [second, 0, chroma], [chroma, 0, second]][sector];
    return order.map((v) => (v + base) * 255);
  }

  /** The same hue brought to a perceived brightness, channels kept within 0–255. */
  function withBrightness(color, target) {
    let c = color.slice(0, 3);
    const now = brightness(c);
    if (now === 0) return [target, target, target];
    if (target <= now) return c.map((v) => v * target / now);
    const weights = [0.299, 0.587, 0.114];
    for (let round = 0; round < 3; round += 1) {
      const missing = target - brightness(c);
      if (missing < 0.01) break;
      const free = [0, 1, 2].filter((i) => c[i] < 255);
      if (!free.length) break;
      const share = free.reduce((sum, i) => sum + weights[i] * c[i], 0);
      const room = free.reduce((sum, i) => sum + weights[i], 0);
      c = c.map((v, i) => (!free.includes(i) ? v
        : Math.min(255, share > 0 ? v * (share + missing) / share : v + missing / room)));
    }
    return c;
  }

  // --- the conversion rules ---------------------------------------------------------------------------

  /** An opaque background colour as dark mode paints it. */
  function darkBackground(shown) {
    const [h, s, l] = toHsl(shown);
    const bright = brightness(shown);
    if ((s < 1e-6 && l > GREY_INVERT_LIGHTNESS) || bright > WHITE_BRIGHTNESS) {
      return fromHsl([0, 0, Math.min(100, 100 + toHsl(DARK_PAGE)[2] - l)]);
    }
    if (bright > SLAB_BRIGHTNESS) return withBrightness(shown, SLAB_BRIGHTNESS);
    if (l < DARKEST_BACKGROUND_LIGHTNESS) return fromHsl([h, s, DARKEST_BACKGROUND_LIGHTNESS]);
    return shown;
  }

  /** An opaque text (or border) colour as dark mode paints it on the opaque `backdrop`. */
  function darkText(shown, backdrop, mayFlip = true) {
    const bright = brightness(shown);
    const behind = brightness(backdrop);
    const gap = Math.abs(behind - bright);
    if (bright >= WHITE_BRIGHTNESS) return shown;
    if (gap > MAX_GAP && behind <= DARK_PAGE_BRIGHTNESS + 2) return withBrightness(shown, behind + MAX_GAP);
    if (gap >= TEXT_GAP) return shown;
    const [h, s, l] = toHsl(shown);
    const onLight = behind >= LIGHT_BACKDROP;
    if (mayFlip && (onLight ? l > FLIP_AROUND - FLIP_LIGHTNESS : l <= FLIP_LIGHTNESS)) {
      return darkText(fromHsl([h, s, FLIP_AROUND - l]), backdrop, false);
    }
    return withBrightness(shown, Math.min(MAX_GAP, onLight ? behind - TEXT_GAP : behind + TEXT_GAP));
  }

  /** A possibly translucent text colour converted over `backdrop`, keeping its alpha. */
  const convertText = (color, backdrop) => through(darkText(over(color, backdrop), backdrop), backdrop, color[3]);

  // --- reading and writing an element's own (inline) colours ------------------------------------------

  function ownBackground(el) {
    let color = parse(el.style.backgroundColor);
    if (!color && TABLE_TAGS.has(el.localName) && !el.style.background) color = parse(el.getAttribute("bgcolor"));
    const image = el.style.backgroundImage || "";
    const picture = /url\(/i.test(image) || /url\(/i.test(el.style.borderImageSource || "");
    let gradient = null;
    if (!picture && /gradient\(/i.test(image)) {
      const stops = (getComputedStyle(el).backgroundImage.match(/rgba?\([^)]*\)/g) || []).map(parse).filter(Boolean);
      if (stops.length) {
        const weight = stops.reduce((sum, c) => sum + c[3], 0);
        gradient = weight > 0
          ? [0, 1, 2].map((i) => stops.reduce((sum, c) => sum + c[i] * c[3], 0) / weight)
            .concat([weight / stops.length])
          : null;
      }
    }
    return {color, picture, gradient};
  }

  function ownText(el) {
    return parse(el.style.webkitTextFillColor) || parse(el.style.color)
      || (el.localName === "font" ? parse(el.getAttribute("color")) : null);
  }

  /** Recolour `el` and its subtree; `context` is what is painted and inherited around it. */
  function visit(el, context, counts) {
    if (SKIPPED.has(el.localName) || el instanceof SVGElement) return;
    counts.elements += 1;
    const here = {...context};
    const textColor = ownText(el);
    const {color: bgColor, picture, gradient} = ownBackground(el);
    const light = gradient && bgColor ? stack(gradient, bgColor) : gradient || bgColor;

    if (picture) {
      // The picture stays; the light-mode colour behind it is painted under it, its text stays light.
      const under = light ? over(light, context.lightBackdrop) : context.lightBackdrop;
      el.style.setProperty("background-color", css(under));
      here.backdrop = under;
      here.lightBackdrop = under;
      here.underPicture = true;
      if (!textColor) el.style.setProperty("color", css(context.lightText));
      counts.recoloured += 1;
    } else if (light && light[3] >= VISIBLE_ALPHA) {
      const target = darkBackground(over(light, context.backdrop));
      const painted = through(target, context.backdrop, light[3]);
      if (gradient) el.style.setProperty("background-image", "none");
      el.style.setProperty("background-color", css(painted));
      here.backdrop = over(painted, context.backdrop);
      here.lightBackdrop = over(light, context.lightBackdrop);
      here.underPicture = false;
      if (!textColor) el.style.setProperty("color", css(convertText(context.lightText.concat([1]), here.backdrop)));
      counts.recoloured += 1;
    }

    if (textColor) {
      here.lightText = over(textColor, here.lightBackdrop);
      if (!here.underPicture && textColor[3] >= VISIBLE_ALPHA) {
        const converted = css(convertText(textColor, here.backdrop));
        el.style.setProperty("color", converted);
        if (el.style.webkitTextFillColor) el.style.setProperty("-webkit-text-fill-color", converted);
        counts.recoloured += 1;
      }
    }

    if (!here.underPicture) {
      for (const side of BORDER_SIDES) {
        const border = parse(el.style.getPropertyValue(`border-${side}-color`));
        if (border && border[3] >= VISIBLE_ALPHA) {
          el.style.setProperty(`border-${side}-color`, css(convertText(border, here.backdrop)));
        }
      }
      const shadow = el.style.textShadow;
      if (shadow && shadow !== "none") {
        const computed = getComputedStyle(el).textShadow;
        el.style.setProperty("text-shadow", computed.replace(/rgba?\([^)]*\)/g, (match) => {
          const c = parse(match);
          return c ? css(through(darkBackground(over(c, here.backdrop)), here.backdrop, c[3])) : match;
        }));
      }
    }

    for (const child of el.children) visit(child, here, counts);
  }

  /**
   * Recolour the article under `root` for `options.mode` ("dark" or "light") on WeChat's page.
   * Returns how many elements were looked at and how many colours were rewritten.
   */
  function run(root, options = {}) {
    const counts = {elements: 0, recoloured: 0};
    if ((options.mode || "dark") !== "dark") return counts;
    const html = document.documentElement;
    html.style.setProperty("background-color", css(DARK_PAGE));
    html.style.setProperty("color", css(DARK_TEXT));
    html.dataset.wechatDarkModel = "dark";
    visit(root, {backdrop: DARK_PAGE, lightBackdrop: LIGHT_PAGE, lightText: LIGHT_TEXT, underPicture: false}, counts);
    return counts;
  }

  return {run, brightness, darkBackground, darkText, parse};
})();
