/**
 * Where the element finds its run-time files: beside the script that defined it unless the page says otherwise
 * (assets-url for all three, models-url / ort-url / worker-url for one each, relative to the page), and how
 * the header words the thread count.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assetUrls, describeThreads } from '../../components/asset-urls.ts';

const page = 'https://pages.example/blog/post.html';
/** The folder of components/asset-urls.ts: in a bundle it is the bundle's folder, here the source's. */
const moduleFolder = new URL('../../components/', import.meta.url).href;

test('without attributes the worker, ort/ and models/ are beside the script, not the page', () => {
  assert.deepEqual(assetUrls({}, page), {
    workerUrl: `${moduleFolder}face-probe-worker.js`,
    modelsBaseUrl: `${moduleFolder}models/`,
    ortWasmBaseUrl: `${moduleFolder}ort/`,
  });
});

test('assets-url moves all three; it is relative to the page and gets its trailing slash', () => {
  assert.deepEqual(assetUrls({ assetsUrl: '../static/face-probe' }, page), {
    workerUrl: 'https://pages.example/static/face-probe/face-probe-worker.js',
    modelsBaseUrl: 'https://pages.example/static/face-probe/models/',
    ortWasmBaseUrl: 'https://pages.example/static/face-probe/ort/',
  });
});

test('models-url, ort-url and worker-url override one each, relative to the page', () => {
  assert.deepEqual(assetUrls({ assetsUrl: '/a/', modelsUrl: 'https://models.example/m', workerUrl: 'w.js' }, page), {
    workerUrl: 'https://pages.example/blog/w.js',
    modelsBaseUrl: 'https://models.example/m/',
    ortWasmBaseUrl: 'https://pages.example/a/ort/',
  });
});

test('the thread count says why wasm runs one thread on a page that is not cross-origin isolated', () => {
  assert.equal(describeThreads('wasm', 1, false), '1 thread: the page is not cross-origin isolated');
  assert.equal(describeThreads('wasm', 1, true), '1 thread');
  assert.equal(describeThreads('wasm', 4, true), '4 threads');
  assert.equal(describeThreads('node', 1, false), '1 thread');
  assert.equal(describeThreads('webgpu', 1, false), '');
  assert.equal(describeThreads('wasm', undefined, false), '');
});
