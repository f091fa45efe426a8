// DL Lifecycle report view (webview script, loaded with the page's nonce; no build step).
// Posts to the extension: { type: 'open', uri, line, character } for a location button (click or
// Enter/Space), { type: 'export', format: 'markdown' | 'csv' }, { type: 'rescan' }, { type: 'refresh' }.
// Up/Down (and Home/End) move the focus among the location buttons. The scroll position and the
// focused location survive a re-render (state kept with setState).
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  /** @returns {HTMLButtonElement[]} */
  function locations() {
    return Array.from(document.querySelectorAll('button.loc'));
  }

  /** @param {string} text */
  function setStatus(text) {
    const status = document.querySelector('.status');
    if (status) status.textContent = text;
  }

  function saveState() {
    const index = locations().indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    vscode.setState({ scrollY: window.scrollY, focus: index >= 0 ? index : undefined });
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (!target || target.disabled) return;
    const data = target.dataset;
    if (target.classList.contains('loc')) {
      vscode.postMessage({ type: 'open', uri: data.uri, line: Number(data.line), character: Number(data.character) });
      saveState();
    } else if (data.action === 'export') {
      vscode.postMessage({ type: 'export', format: data.format });
    } else if (data.action === 'rescan' || data.action === 'refresh') {
      target.disabled = true;
      document.body.setAttribute('aria-busy', 'true');
      setStatus(data.action === 'rescan' ? 'Scanning the workspace…' : 'Building the report…');
      saveState();
      vscode.postMessage({ type: data.action });
    }
  });

  document.addEventListener('keydown', (event) => {
    const current = document.activeElement;
    if (!(current instanceof HTMLButtonElement) || !current.classList.contains('loc')) return;
    const all = locations();
    const i = all.indexOf(current);
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(all.length - 1, i + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = all.length - 1;
    if (next < 0) return;
    event.preventDefault();
    all[next].focus();
    all[next].scrollIntoView({ block: 'nearest' });
  });

  document.addEventListener('focusin', saveState);
  window.addEventListener('scroll', () => {
    window.clearTimeout(/** @type {any} */ (saveState).timer);
    /** @type {any} */ (saveState).timer = window.setTimeout(saveState, 150);
  });

  // messages from the extension: 'idle' after a failed action re-enables the buttons
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'idle') {
      document.body.removeAttribute('aria-busy');
      for (const b of document.querySelectorAll('button[data-action]')) /** @type {HTMLButtonElement} */ (b).disabled = false;
      setStatus('');
    }
  });

  const state = vscode.getState();
  if (state) {
    if (typeof state.scrollY === 'number') window.scrollTo(0, state.scrollY);
    if (typeof state.focus === 'number') {
      const index = state.focus;
      const restore = () => {
        const all = locations();
        const target = all[Math.min(index, all.length - 1)];
        if (target) target.focus({ preventScroll: true });
      };
      // never take the focus from the editor: restore it now only if the view has it, else when it gets it
      if (document.hasFocus()) restore();
      else window.addEventListener('focus', restore, { once: true });
    }
  }
})();
