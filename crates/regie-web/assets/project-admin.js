// Members, files (import/export) and history: see app.js for window.Regie.
