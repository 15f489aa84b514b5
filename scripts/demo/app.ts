// The placeholder demo's script (until the component lands): shows that the page's script runs.
const line = document.getElementById('kernel');
if (line) line.textContent = 'The kernel is not wired into the demo yet.';
export {};
