// Gantt interactions: see app.js for the API helper.
