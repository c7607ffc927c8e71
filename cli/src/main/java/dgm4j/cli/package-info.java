/**
 * The {@code dgm} command (picocli): one class per command group ({@link dgm4j.cli.DataCommand},
 * {@link dgm4j.cli.TrainCommand}, {@link dgm4j.cli.RbmCommands}, {@link dgm4j.cli.ModelCommands}), shared option
 * groups ({@link dgm4j.cli.DataSelection}, {@link dgm4j.cli.NumericOptions}) and progress bars. Commands only parse,
 * check and print; all the work is in the core library, except the charts of {@link dgm4j.cli.PlotCommand} (JFreeChart,
 * a dependency of the command line only). Exit codes: 0 success, 1 failure, 2 bad usage or input.
 */
package dgm4j.cli;
