// The demo page's only script, served as a file so a strict CSP (script-src 'self') fits.
// Results are written with textContent: job output is never parsed as HTML.

const form = document.getElementById('job-form');
const datasetSelect = document.getElementById('dataset');
const sedOptions = document.getElementById('sed-options');
const grepOptions = document.getElementById('grep-options');

function show(id, text) {
  document.getElementById(id).textContent = text;
}

async function loadDatasets() {
  const response = await fetch('/api/datasets');
  const body = await response.json();
  for (const dataset of body.datasets ?? []) {
    const option = document.createElement('option');
    option.value = dataset.name;
    option.textContent = `${dataset.name}: ${dataset.description}`;
    datasetSelect.append(option);
  }
}

function selectedTool() {
  return new FormData(form).get('tool');
}

function onToolChange() {
  const tool = selectedTool();
  sedOptions.hidden = tool !== 'sed';
  grepOptions.hidden = tool !== 'grep';
}

function checkedOptions(fieldset) {
  const options = {};
  for (const box of fieldset.querySelectorAll('input[type=checkbox]')) {
    if (box.checked) options[box.name] = true;
  }
  return options;
}

function buildJob() {
  const tool = selectedTool();
  const program = document.getElementById('program').value;
  const job = { tool, dataset: datasetSelect.value };
  job[tool === 'sed' ? 'script' : 'pattern'] = program;
  job.options = checkedOptions(tool === 'sed' ? sedOptions : grepOptions);
  return job;
}

function showResult(status, body) {
  if (body.error) {
    show('status', `Refused (${status}): ${body.error.code}: ${body.error.message}`);
    for (const id of ['command', 'stdout', 'stderr']) show(id, '');
    return;
  }
  const limits = [body.timedOut && 'time limit hit', body.truncated && 'output truncated'];
  const notes = limits.filter(Boolean).join(', ');
  show(
    'status',
    `Exit code ${body.exitCode}${body.signal ? `, signal ${body.signal}` : ''} ${notes}`,
  );
  show('command', body.command);
  show('stdout', body.stdout);
  show('stderr', body.stderr);
}

async function submit(event) {
  event.preventDefault();
  show('status', 'Running…');
  const response = await fetch('/api/jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(buildJob()),
  });
  showResult(response.status, await response.json());
}

form.addEventListener('change', onToolChange);
form.addEventListener('submit', (event) => {
  submit(event).catch((error) => show('status', `Request failed: ${error.message}`));
});
loadDatasets().catch((error) => show('status', `Could not load datasets: ${error.message}`));
