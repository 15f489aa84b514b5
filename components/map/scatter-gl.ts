/**
 * The map's GPU drawing: every face as a round point in one WebGL2 draw call, coloured from a small palette.
 * Density: the points are first added up, per pixel, into a half-float layer (each point adds its colour and
 * a count of one), then one full-screen pass shows each pixel in the mean colour of the points on it, as
 * bright as the logarithm of their count: a lone face is dim, a patch of ten is brighter, a patch of a
 * thousand brightest, and a dense patch keeps its colour instead of washing out to white. Where the browser
 * cannot render to half floats (no EXT_color_buffer_float), each point is instead faint and blended over the
 * ground, which saturates after a few dozen overlaps. Selected faces and the face under the pointer are drawn
 * again on top, opaque. Positions are uploaded once; panning and zooming only change uniforms.
 */

/** Where the view looks: a centre in map units and a zoom (1 fits the whole map). */
export interface MapView {
  cx: number;
  cy: number;
  zoom: number;
}

/** The map's background (dark, so additive colour reads as density). */
export const MAP_BACKGROUND: readonly [number, number, number] = [0.07, 0.08, 0.1];

/** From this many points, density is counted at half resolution (see {@link ScatterGl.draw}). */
const HALF_LAYER_FROM = 20_000;

/** Most palette entries a map can use. */
export const MAX_COLOURS = 16;

const VERTEX = `#version 300 es
layout(location = 0) in vec2 a_pos;
layout(location = 1) in float a_cat;
uniform vec2 u_center;
uniform vec2 u_scale;
uniform float u_size;
uniform vec3 u_palette[${MAX_COLOURS}];
out vec3 v_colour;
void main() {
  gl_Position = vec4((a_pos - u_center) * u_scale, 0.0, 1.0);
  gl_PointSize = u_size;
  v_colour = u_palette[int(a_cat)];
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
in vec3 v_colour;
uniform float u_intensity;
uniform int u_mode;
out vec4 outColour;
void main() {
  float r = length(gl_PointCoord - vec2(0.5));
  if (r > 0.5) discard;
  if (u_mode == 0) {
    float edge = 1.0 - smoothstep(0.35, 0.5, r);
    outColour = vec4(v_colour, u_intensity * edge);
  } else if (u_mode == 3) {
    // Into the density layer (added up): colour weighted by coverage, and the coverage itself.
    float edge = 1.0 - smoothstep(0.35, 0.5, r);
    outColour = vec4(v_colour * edge, edge);
  } else if (u_mode == 1) {
    outColour = r > 0.3 ? vec4(1.0, 1.0, 1.0, 1.0) : vec4(v_colour, 1.0);
  } else {
    outColour = r > 0.36 ? vec4(1.0, 1.0, 1.0, 1.0) : (r > 0.26 ? vec4(0.0, 0.0, 0.0, 1.0) : vec4(v_colour, 1.0));
  }
}`;

/** The density layer shown: a full-screen triangle reading the added-up layer. */
const RESOLVE_VERTEX = `#version 300 es
void main() {
  vec2 p = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
  gl_Position = vec4(p, 0.0, 1.0);
}`;

const RESOLVE_FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_layer;
uniform vec2 u_canvas;
uniform vec3 u_ground;
uniform float u_full;
out vec4 outColour;
void main() {
  vec4 sum = texture(u_layer, gl_FragCoord.xy / u_canvas);
  if (sum.a < 0.02) { outColour = vec4(u_ground, 1.0); return; }
  vec3 colour = sum.rgb / sum.a;
  // A lone point shows at a third of its colour or more; u_full points on one pixel at all of it.
  float t = clamp(0.3 + 0.7 * log2(1.0 + sum.a) / log2(1.0 + u_full), 0.0, 1.0);
  outColour = vec4(mix(u_ground, colour, t * min(1.0, sum.a * 1.5)), 1.0);
}`;

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type) as WebGLShader;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`the map's shader did not compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
  return shader;
}

function link(gl: WebGL2RenderingContext, vertex: string, fragment: string): WebGLProgram {
  const program = gl.createProgram() as WebGLProgram;
  gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, vertex));
  gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, fragment));
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`the map's shaders did not link: ${gl.getProgramInfoLog(program) ?? ''}`);
  return program;
}

/** The added-up layer: a half-float texture the size of the canvas and its framebuffer. */
interface DensityLayer {
  program: WebGLProgram;
  at: Record<'layer' | 'canvas' | 'ground' | 'full', WebGLUniformLocation | null>;
  texture: WebGLTexture;
  framebuffer: WebGLFramebuffer;
  width: number;
  height: number;
}

/**
 * Draws points on a canvas with WebGL2.
 * @throws Error when the browser offers no WebGL2 (the caller says so in words).
 */
export class ScatterGl {
  private readonly gl: WebGL2RenderingContext;
  private readonly program: WebGLProgram;
  private readonly positions: WebGLBuffer;
  private readonly categories: WebGLBuffer;
  private readonly selected: WebGLBuffer;
  private readonly vao: WebGLVertexArrayObject;
  private readonly at: Record<'center' | 'scale' | 'size' | 'palette' | 'intensity' | 'mode', WebGLUniformLocation | null>;
  private count = 0;
  private selectedCount = 0;
  /** The density layer, or undefined where half floats cannot be rendered to (then points blend instead). */
  private readonly density: DensityLayer | undefined;

  /** Whether density is drawn as a counted layer (else by blending faint points). */
  get countsDensity(): boolean {
    return this.density !== undefined;
  }

  /** Sizes the density layer to the canvas; false when the GPU refuses it (then points blend instead). */
  private layerFits(width: number, height: number): boolean {
    const d = this.density;
    if (!d) return false;
    if (d.width === width && d.height === height) return true;
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, d.texture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA16F, width, height, 0, gl.RGBA, gl.HALF_FLOAT, null);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindFramebuffer(gl.FRAMEBUFFER, d.framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, d.texture, 0);
    const ok = gl.checkFramebufferStatus(gl.FRAMEBUFFER) === gl.FRAMEBUFFER_COMPLETE;
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    d.width = ok ? width : 0;
    d.height = ok ? height : 0;
    return ok;
  }

  constructor(readonly canvas: HTMLCanvasElement) {
    // Opaque: blending must not make the canvas see-through (the page behind would wash the colours out).
    const gl = canvas.getContext('webgl2', { alpha: false, antialias: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error('this browser cannot draw the map: it offers no WebGL2');
    this.gl = gl;
    const program = link(gl, VERTEX, FRAGMENT);
    this.program = program;
    if (gl.getExtension('EXT_color_buffer_float')) {
      const resolve = link(gl, RESOLVE_VERTEX, RESOLVE_FRAGMENT);
      this.density = {
        program: resolve,
        at: { layer: gl.getUniformLocation(resolve, 'u_layer'), canvas: gl.getUniformLocation(resolve, 'u_canvas'), ground: gl.getUniformLocation(resolve, 'u_ground'), full: gl.getUniformLocation(resolve, 'u_full') },
        texture: gl.createTexture() as WebGLTexture,
        framebuffer: gl.createFramebuffer() as WebGLFramebuffer,
        width: 0,
        height: 0,
      };
    }
    this.at = {
      center: gl.getUniformLocation(program, 'u_center'),
      scale: gl.getUniformLocation(program, 'u_scale'),
      size: gl.getUniformLocation(program, 'u_size'),
      palette: gl.getUniformLocation(program, 'u_palette'),
      intensity: gl.getUniformLocation(program, 'u_intensity'),
      mode: gl.getUniformLocation(program, 'u_mode'),
    };
    this.vao = gl.createVertexArray() as WebGLVertexArrayObject;
    this.positions = gl.createBuffer() as WebGLBuffer;
    this.categories = gl.createBuffer() as WebGLBuffer;
    this.selected = gl.createBuffer() as WebGLBuffer;
    gl.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.categories);
    gl.enableVertexAttribArray(1);
    gl.vertexAttribPointer(1, 1, gl.UNSIGNED_BYTE, false, 0, 0);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.selected);
    gl.bindVertexArray(null);
  }

  /** Uploads n × 2 positions (map units, about [-1, 1]) and each point's palette entry. */
  setPoints(points: Float32Array, categories: Uint8Array): void {
    const gl = this.gl;
    this.count = Math.min(points.length / 2, categories.length);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.bufferData(gl.ARRAY_BUFFER, points, gl.STATIC_DRAW);
    this.setCategories(categories);
  }

  /** Changes the palette entry of every point (a new colouring), keeping the positions. */
  setCategories(categories: Uint8Array): void {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.categories);
    gl.bufferData(gl.ARRAY_BUFFER, categories, gl.STATIC_DRAW);
  }

  /** The points drawn on top as selected (indices into the points). */
  setSelection(indices: Uint32Array): void {
    const gl = this.gl;
    gl.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.selected);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, indices, gl.DYNAMIC_DRAW);
    gl.bindVertexArray(null);
    this.selectedCount = indices.length;
  }

  /**
   * Draws the map at `view` into the canvas's current size (device pixels), with `palette` (RGB in [0, 1], at
   * most {@link MAX_COLOURS} entries), `pixelsPerUnit` CSS px per map unit at zoom 1, and `hovered` ringed.
   */
  draw(view: MapView, palette: readonly (readonly [number, number, number])[], pixelsPerUnit: number, hovered: number | undefined): void {
    const gl = this.gl;
    const { width, height } = this.canvas;
    const dpr = width / Math.max(1, this.canvas.clientWidth || width);
    gl.viewport(0, 0, width, height);
    gl.clearColor(MAP_BACKGROUND[0], MAP_BACKGROUND[1], MAP_BACKGROUND[2], 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (this.count === 0) return;
    gl.useProgram(this.program);
    gl.bindVertexArray(this.vao);
    const flat = new Float32Array(MAX_COLOURS * 3);
    palette.slice(0, MAX_COLOURS).forEach((c, i) => flat.set(c, i * 3));
    gl.uniform3fv(this.at.palette, flat);
    const ppu = pixelsPerUnit * view.zoom * dpr;
    gl.uniform2f(this.at.center, view.cx, view.cy);
    gl.uniform2f(this.at.scale, (2 * ppu) / width, (2 * ppu) / height);
    // Points grow as the view zooms in, from 2.5 to 9 device px; each is fainter when there are many, and
    // less faint as zooming spreads them apart.
    const size = Math.min(9, Math.max(2.5, 2 * Math.sqrt(view.zoom) + 100 / Math.sqrt(this.count))) * dpr;
    gl.uniform1f(this.at.size, size);
    gl.enable(gl.BLEND);
    const d = this.density;
    // Many points are counted at half the resolution in each direction (a quarter of the pixels to add up,
    // shown smoothed): zoomed out they are 2 to 3 px apart anyway, and adding up into half floats is what costs.
    const half = this.count >= HALF_LAYER_FROM ? 0.5 : 1;
    const lw = Math.max(1, Math.round(width * half));
    const lh = Math.max(1, Math.round(height * half));
    if (d && this.layerFits(lw, lh)) {
      gl.bindFramebuffer(gl.FRAMEBUFFER, d.framebuffer);
      gl.viewport(0, 0, lw, lh);
      gl.clearColor(0, 0, 0, 0);
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.blendFunc(gl.ONE, gl.ONE);
      gl.uniform1f(this.at.size, Math.max(1, size * half));
      gl.uniform1i(this.at.mode, 3);
      gl.drawArrays(gl.POINTS, 0, this.count);
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      gl.viewport(0, 0, width, height);
      gl.uniform1f(this.at.size, size);
      gl.disable(gl.BLEND);
      gl.useProgram(d.program);
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, d.texture);
      gl.uniform1i(d.at.layer, 0);
      gl.uniform2f(d.at.canvas, width, height);
      gl.uniform3f(d.at.ground, MAP_BACKGROUND[0], MAP_BACKGROUND[1], MAP_BACKGROUND[2]);
      // Full brightness at about as many points on one pixel as a dense patch holds: more with more points, fewer
      // as zooming in spreads them apart (a little faster, so single faces read well up close; down to one,
      // when every point shows in its full colour).
      gl.uniform1f(d.at.full, Math.min(400, Math.max(1, Math.sqrt(this.count) / 2 / view.zoom ** 1.5)));
      // No attributes: the triangle comes from gl_VertexID (the points' arrays may hold fewer than 3).
      gl.bindVertexArray(null);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      gl.bindVertexArray(this.vao);
      gl.useProgram(this.program);
      gl.enable(gl.BLEND);
      gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
    } else {
      gl.uniform1f(this.at.intensity, Math.min(0.85, Math.max(0.12, 25 / Math.sqrt(this.count) + 0.05 * view.zoom)));
      gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
      gl.uniform1i(this.at.mode, 0);
      gl.drawArrays(gl.POINTS, 0, this.count);
    }
    if (this.selectedCount > 0) {
      gl.uniform1f(this.at.size, Math.max(size, 5 * dpr));
      gl.uniform1i(this.at.mode, 1);
      gl.drawElements(gl.POINTS, this.selectedCount, gl.UNSIGNED_INT, 0);
    }
    if (hovered !== undefined && hovered < this.count) {
      gl.uniform1f(this.at.size, 14 * dpr);
      gl.uniform1i(this.at.mode, 2);
      gl.drawArrays(gl.POINTS, hovered, 1);
    }
    gl.bindVertexArray(null);
  }

  /** Frees the GPU buffers. */
  destroy(): void {
    const gl = this.gl;
    gl.deleteBuffer(this.positions);
    gl.deleteBuffer(this.categories);
    gl.deleteBuffer(this.selected);
    gl.deleteVertexArray(this.vao);
    gl.deleteProgram(this.program);
    if (this.density) {
      gl.deleteTexture(this.density.texture);
      gl.deleteFramebuffer(this.density.framebuffer);
      gl.deleteProgram(this.density.program);
    }
  }
}
