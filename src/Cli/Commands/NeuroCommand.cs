using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hpc.Cli.Plots;
using Hpc.Nn;
using Hpc.Nn.Neuro;

namespace Hpc.Cli.Commands;

/// <summary>`hpc neuro`: spiking-neuron simulations (rate curves of single neurons, a recurrent random LIF network).</summary>
internal static class NeuroCommand
{
    public static Command Create()
    {
        var command = new Command("neuro", "Simulate spiking neurons: LIF and Hodgkin-Huxley rate curves, a recurrent random LIF network");
        command.Add(RateCurve());
        command.Add(Simulate());
        return command;
    }

    private static Command RateCurve()
    {
        var common = new CommonOptions();
        var model = new Option<string?>("--model") { Description = "Neuron model: lif|hh", DefaultValueFactory = _ => "lif", HelpName = "model" }.OneOf("lif", "hh");
        var tauRef = new Option<double>("--tau-ref") { Description = "LIF refractory period in seconds", DefaultValueFactory = _ => 0.002, HelpName = "s" }.InRange(0.0, 1.0);
        var tauM = new Option<double>("--tau-m") { Description = "LIF membrane time constant in seconds", DefaultValueFactory = _ => 0.02, HelpName = "s" }.InRange(1e-5, 10.0);
        var integrator = new Option<string?>("--integrator") { Description = "LIF integration: exact|euler", DefaultValueFactory = _ => "exact", HelpName = "method" }.OneOf("exact", "euler");
        var dt = new Option<double>("--dt") { Description = "Time step in seconds (default 1e-5 for LIF, 1e-5 = 0.01 ms for HH)", DefaultValueFactory = _ => 1e-5, HelpName = "s" }.InRange(1e-7, 1e-3);
        var seconds = new Option<double>("--seconds") { Description = "Simulated time per input value", DefaultValueFactory = _ => 1.0, HelpName = "s" }.InRange(0.01, 100.0);
        var points = new Option<int>("--points") { Description = "Input values, evenly spaced up to --max-input", DefaultValueFactory = _ => 41, HelpName = "n" }.InRange(2, 100_000);
        var maxInput = new Option<double?>("--max-input") { Description = "Largest input: v_in for LIF (default 5), uA/cm^2 for HH (default 50)", HelpName = "x" };
        var plot = new Option<string?>("--plot") { Description = "SVG or PNG file for the plot (default rate-curve-<model>.svg; 'none' for no plot)", HelpName = "file" };
        var command = new Command("rate-curve", "Firing rate against constant input, simulated, with the closed form G(v_in) beside LIF")
        {
            model, tauRef, tauM, integrator, dt, seconds, points, maxInput, plot,
        };
        common.AddTo(command);
        command.SetAction(r => RunRateCurve(r.GetValue(common.Isa), r.GetValue(common.Threads), r.GetValue(model)!, r.GetValue(tauRef),
            r.GetValue(tauM), r.GetValue(integrator)!, r.GetValue(dt), r.GetValue(seconds), r.GetValue(points), r.GetValue(maxInput),
            r.GetValue(plot)));
        return command;
    }

    private static int RunRateCurve(string? isa, int threads, string model, double tauRef, double tauM, string integrator, double dt,
        double seconds, int points, double? maxInput, string? plot)
    {
        bool lif = model == "lif";
        double hi = maxInput ?? (lif ? 5.0 : 50.0);
        if (!(hi > 0) || !double.IsFinite(hi)) throw new UsageException($"--max-input {hi} must be a positive number");
        if (lif && integrator == "euler" && dt >= tauM) throw new UsageException($"--dt {dt} must be below --tau-m {tauM} for Euler's method");
        using var ctx = ContextFactory.Open(isa, threads);
        var inputs = new double[points];
        for (int k = 0; k < points; k++) inputs[k] = hi * k / (points - 1);

        // One neuron per input value, all simulated together.
        NeuronPopulation pop;
        if (lif)
        {
            var p = new LifPopulation(points, (float)tauM, (float)tauRef, integrator == "euler" ? Integrator.Euler : Integrator.Exact);
            for (int k = 0; k < points; k++) p.Drive[k] = (float)inputs[k];
            pop = p;
        }
        else
        {
            var p = new HodgkinHuxleyPopulation(points);
            for (int k = 0; k < points; k++) p.Current[k] = (float)inputs[k];
            pop = p;
        }
        var net = new Network(ctx);
        net.Add(pop);
        var spikes = net.Monitor(new SpikeMonitor(pop, checked((int)Math.Min(int.MaxValue, points * (seconds * 2000 + 10)))));
        var watch = Stopwatch.StartNew();
        net.Run(seconds, dt);
        watch.Stop();
        double[] rates = MeasuredRates(spikes, points, seconds);

        string inputName = lif ? "v_in" : "I (uA/cm^2)";
        Console.WriteLine(lif
            ? $"LIF rate curve: tau_m {tauM} s, tau_ref {tauRef} s, {integrator} integration, dt {dt} s, {seconds} s per input ({watch.Elapsed.TotalSeconds:F2} s wall)"
            : $"Hodgkin-Huxley rate curve: exponential Euler, dt {dt * 1000} ms, {seconds} s per input ({watch.Elapsed.TotalSeconds:F2} s wall)");
        Console.WriteLine(lif ? $"{inputName,12} {"simulated Hz",14} {"G(v_in) Hz",12}" : $"{inputName,12} {"simulated Hz",14}");
        for (int k = 0; k < points; k++)
            Console.WriteLine(lif
                ? string.Create(CultureInfo.InvariantCulture, $"{inputs[k],12:F4} {rates[k],14:F3} {LifPopulation.RateOf(inputs[k], tauRef, tauM),12:F3}")
                : string.Create(CultureInfo.InvariantCulture, $"{inputs[k],12:F4} {rates[k],14:F3}"));

        string file = plot ?? $"rate-curve-{model}.svg";
        if (file != "none")
        {
            var plotModel = lif
                ? RateCurvePlot.Create($"LIF firing rate (tau_m = {tauM * 1000} ms, tau_ref = {tauRef * 1000} ms)", "input v_in", inputs, rates,
                    $"simulated ({integrator}, dt = {dt * 1000} ms)", x => LifPopulation.RateOf(x, tauRef, tauM), "G(v_in), closed form")
                : RateCurvePlot.Create("Hodgkin-Huxley firing rate", "input current (uA/cm^2)", inputs, rates,
                    $"simulated (exponential Euler, dt = {dt * 1000} ms)", null, null);
            PlotFile.Save(plotModel, file);
            Console.WriteLine($"plot: {file}");
        }
        return 0;
    }

    /// <summary>
    /// Steady-state rate per neuron from the spikes of the second half of the run (onset spikes and
    /// the first, transient interval do not count): (k - 1) / (last - first) for k &gt;= 2 spikes there,
    /// else k / (half the duration).
    /// </summary>
    private static double[] MeasuredRates(SpikeMonitor spikes, int n, double seconds)
    {
        double half = seconds / 2;
        var first = new double[n];
        var last = new double[n];
        var count = new int[n];
        ReadOnlySpan<float> t = spikes.Times;
        ReadOnlySpan<int> who = spikes.Neurons;
        for (int k = 0; k < t.Length; k++)
        {
            if (t[k] <= half) continue;
            int i = who[k];
            if (count[i]++ == 0) first[i] = t[k];
            last[i] = t[k];
        }
        var rates = new double[n];
        for (int i = 0; i < n; i++)
            rates[i] = count[i] >= 2 ? (count[i] - 1) / (last[i] - first[i]) : count[i] / half;
        return rates;
    }

    private static Command Simulate()
    {
        var common = new CommonOptions();
        var neurons = new Option<int>("--neurons") { Description = "LIF neurons", DefaultValueFactory = _ => 10_000, HelpName = "n" }.InRange(1, 10_000_000);
        var p = new Option<double>("--p") { Description = "Connection probability of each (pre, post) pair", DefaultValueFactory = _ => 0.01, HelpName = "p" }.InRange(0.0, 1.0);
        var seconds = new Option<double>("--seconds") { Description = "Simulated time", DefaultValueFactory = _ => 1.0, HelpName = "s" }.InRange(0.0, 1000.0);
        var dt = new Option<double>("--dt") { Description = "Time step in seconds", DefaultValueFactory = _ => 1e-4, HelpName = "s" }.InRange(1e-6, 1e-3);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the drives, initial potentials and connectivity", DefaultValueFactory = _ => 1UL, HelpName = "n" };
        var raster = new Option<string?>("--raster") { Description = "SVG or PNG file for the spike raster (default raster.svg; 'none' for no plot)", HelpName = "file" };
        var shown = new Option<int>("--raster-neurons") { Description = "Neurons shown in the raster", DefaultValueFactory = _ => 200, HelpName = "n" }.InRange(1, 100_000);
        var command = new Command("simulate", "Run a recurrent random network of LIF neurons with exponential synaptic currents")
        {
            neurons, p, seconds, dt, seed, raster, shown,
        };
        common.AddTo(command);
        command.SetAction(r => RunSimulate(r.GetValue(common.Isa), r.GetValue(common.Threads), r.GetValue(neurons), r.GetValue(p),
            r.GetValue(seconds), r.GetValue(dt), r.GetValue(seed), r.GetValue(raster), r.GetValue(shown)));
        return command;
    }

    private static int RunSimulate(string? isa, int threads, int neurons, double p, double seconds, double dt, ulong seed,
        string? raster, int shown)
    {
        using var ctx = ContextFactory.Open(isa, threads);
        var setup = Stopwatch.StartNew();
        // Room for every spike at up to 200 Hz; a busier network keeps counting but stores no more.
        int capacity = (int)Math.Min(1L << 28, (long)(neurons * Math.Max(seconds, dt) * 200) + 1024);
        var sim = new RandomLifNetwork(ctx, neurons, (float)p, seed, spikeCapacity: capacity);
        setup.Stop();
        var process = Process.GetCurrentProcess();
        TimeSpan cpu0 = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        sim.Network.Run(seconds, dt);
        watch.Stop();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;

        long events = 0;
        foreach (int j in sim.Spikes.Neurons) events += sim.Recurrent.FanOut(j);
        double wall = watch.Elapsed.TotalSeconds, simulated = sim.Network.Time;
        double perSecond = simulated > 0 ? wall / simulated : 0;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"network: {neurons} LIF neurons, p = {p}, {sim.Recurrent.SynapseCount} synapses, dt = {dt * 1000} ms, {sim.Network.Steps} steps, isa {Context.IsaName(ctx.Isa)}, {ctx.Threads} thread(s)"));
        Console.WriteLine(string.Create(inv, $"setup: {setup.Elapsed.TotalSeconds:F3} s"));
        Console.WriteLine(string.Create(inv, $"mean rate: {sim.MeanRate:F2} Hz ({sim.Spikes.Total} spikes{(sim.Spikes.Dropped > 0 ? $", {sim.Spikes.Dropped} not stored" : "")})"));
        Console.WriteLine(string.Create(inv, $"wall time: {wall:F4} s, {perSecond:F4} s per simulated second"));
        // On a shared machine wall time includes waits for a core; CPU time (all threads) does not.
        Console.WriteLine(string.Create(inv, $"cpu time: {cpu:F4} s"));
        if (wall > 0)
        {
            Console.WriteLine(string.Create(inv, $"neuron updates: {neurons * (double)sim.Network.Steps / wall:E3} /s"));
            Console.WriteLine(string.Create(inv, $"synaptic events: {events / wall:E3} /s ({events} events{(sim.Spikes.Dropped > 0 ? " stored spikes only" : "")})"));
        }
        string file = raster ?? "raster.svg";
        if (file != "none")
        {
            int rows = Math.Min(shown, neurons);
            PlotFile.Save(RasterPlot.Create(string.Create(inv, $"{neurons} LIF neurons, p = {p}: first {rows} neurons, mean rate {sim.MeanRate:F1} Hz"),
                sim.Spikes.Times, sim.Spikes.Neurons, rows, Math.Max(simulated, dt)), file, 1000, 600);
            Console.WriteLine($"raster: {file}");
        }
        return 0;
    }
}
