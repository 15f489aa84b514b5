// tfjs-tflite's self-contained ES bundle (its dist/index.js imports a client file the package does not ship).
declare module '@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js' {
  export * from '@tensorflow/tfjs-tflite';
}
