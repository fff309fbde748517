// The few globals pure engine code uses that Node (>= 20) and browsers both provide, typed no
// wider than that code needs, so that engine/ compiles without the DOM lib or @types/node. Only
// a tsconfig without those libs may include it (engine's): where they load, they declare the
// same names more widely, and the two would clash.

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder };

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { new (): TextEncoder };

declare function atob(data: string): string;
declare function btoa(data: string): string;

interface Performance {
  now(): number;
}
declare var performance: Performance;

declare function setTimeout(handler: () => void, timeout?: number): unknown;

declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  var Memory: { new (descriptor: { initial: number }): Memory };
  interface Module {}
  var Module: { new (bytes: ArrayBufferView | ArrayBuffer): Module };
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  var Instance: { new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance };
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
