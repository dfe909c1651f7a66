// Task table: see app.js.
