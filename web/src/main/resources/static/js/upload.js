// Upload snapshot page: sends the chosen file's bytes as they are (no multipart) to
// POST /api/v1/snapshots?name=&endpoint=, shows the upload's progress, then opens the grid it answers.
// XMLHttpRequest rather than fetch: fetch reports no upload progress. Messages are set as text.
(function () {
  'use strict';
  const form = document.getElementById('upload-form');
  const file = document.getElementById('upload-file');
  const endpoint = document.getElementById('upload-endpoint');
  const progress = document.getElementById('upload-progress');
  const error = document.getElementById('upload-error');
  const button = document.getElementById('upload-connect');
  // Cancel aborts the request while the file is being sent: the server stops reading, keeps nothing and audits it.
  // Once sent, the server checks and ingests it whatever the page does, so Cancel is hidden then.
  const cancel = document.getElementById('upload-cancel');
  let sending = null;
  cancel.addEventListener('click', function () {
    if (!sending) return;
    const xhr = sending;
    sending = null;
    xhr.abort();
    cancel.hidden = true;
    button.disabled = false;
    progress.textContent = 'cancelled: nothing was kept';
  });
  let csrf = '';
  try { csrf = JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'] || ''; } catch (e) { csrf = ''; }

  function showError(text) {
    error.textContent = text || '';
    error.hidden = !text;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    showError('');
    const chosen = file.files[0];
    if (!chosen) { showError('Choose a file first.'); return; }
    let url = '/api/v1/snapshots?name=' + encodeURIComponent(chosen.name);
    if (endpoint.value.trim()) url += '&endpoint=' + encodeURIComponent(endpoint.value.trim());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) progress.textContent = 'sending: ' + Math.floor(e.loaded * 100 / e.total) + ' %';
    });
    xhr.upload.addEventListener('load', function () { sending = null; cancel.hidden = true; progress.textContent = 'checking and ingesting…'; });
    xhr.addEventListener('load', function () {
      sending = null;
      cancel.hidden = true;
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 201 && body && body.url) {
        progress.textContent = 'done';
        window.location.assign(body.url);
        return;
      }
      button.disabled = false;
      progress.textContent = '';
      showError((body && (body.error || body.message)) || ('The upload failed: ' + xhr.status + ' ' + xhr.statusText));
    });
    xhr.addEventListener('error', function () {
      sending = null;
      cancel.hidden = true;
      button.disabled = false;
      progress.textContent = '';
      showError('The upload was cut off before the server answered; try again.');
    });
    button.disabled = true;
    sending = xhr;
    cancel.hidden = false;
    xhr.send(chosen);
  });
}());
