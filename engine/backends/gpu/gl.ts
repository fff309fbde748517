// The slice of WebGL the gpu backend touches, typed here so that engine/ compiles without the
// DOM lib: the caller, which has a DOM, makes the canvas (an HTMLCanvasElement or OffscreenCanvas
// fits these types) and the backend asks it for the context.

/** What `getContext` is asked for beside the kind: no buffers the kernels do not render into. */
export interface GlContextAttributes {
  alpha: boolean; antialias: boolean; depth: boolean; stencil: boolean; premultipliedAlpha: boolean; preserveDrawingBuffer: boolean;
}

/** A WebGL (1 or 2) rendering context, as far as the backend reads it. */
export interface GlContext {
  readonly MAX_TEXTURE_IMAGE_UNITS: number;
  getParameter(pname: number): unknown;
  getExtension(name: string): unknown;
  createTexture(): object | null;
  deleteTexture(texture: object | null): void;
  isContextLost(): boolean;
}

/** The context-loss event, as far as the chooser handles it. */
export interface GlContextLost {
  preventDefault(): void;
}

/** A canvas a WebGL context can be made on. */
export interface GlCanvas {
  getContext(kind: 'webgl2' | 'webgl', attrs: GlContextAttributes): unknown;
  addEventListener?(type: 'webglcontextlost', listener: (ev: GlContextLost) => void): void;
}

/** Makes a fresh canvas for one engine's context: `() => document.createElement('canvas')` in a page. */
export type CanvasFactory = () => GlCanvas;
