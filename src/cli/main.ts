// Placeholder until the foundation CLI lands (issue 2).
process.stderr.write('lectern: not built yet\n');
process.exit(2);
