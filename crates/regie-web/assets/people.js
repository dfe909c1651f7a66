// People, workload and My work: see app.js for window.Regie.
