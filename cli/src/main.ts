/** The `green-cloud` command line: the same core as the editor, for terminals and CI. */
process.stdout.write('green-cloud: not yet implemented\n');
