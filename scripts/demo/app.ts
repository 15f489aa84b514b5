// The placeholder demo's script: shows which kernel backend this browser gets.
const status = document.getElementById('kernel');
if (status) status.textContent = 'The kernel is not wired into the demo yet.';
