/** ort-webgpu.portable.ts in Node, where WebGPU must be refused. */
import './ort-webgpu.portable.ts';
