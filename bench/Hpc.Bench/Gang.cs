namespace Hpc.Bench;

/// <summary>
/// Runs one body on N threads at once: the caller plus N-1 dedicated workers, released and joined
/// by a barrier. Dedicated threads, because a thread-pool loop may run both shares on the caller
/// when a pool thread is slow to wake, which would halve the measured two-thread rate.
/// </summary>
public sealed class Gang : IDisposable
{
    private readonly Action _body;
    private readonly Barrier _start, _end;
    private readonly Thread[] _workers;
    private volatile bool _stop;

    public Gang(int threads, Action body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _body = body;
        _start = new Barrier(threads);
        _end = new Barrier(threads);
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"gang-{i + 1}" };
            _workers[i].Start();
        }
    }

    public void Run()
    {
        _start.SignalAndWait();
        _body();
        _end.SignalAndWait();
    }

    private void Work()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stop) return;
            _body();
            _end.SignalAndWait();
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_workers.Length > 0) _start.SignalAndWait();
        foreach (var w in _workers) w.Join();
        _start.Dispose();
        _end.Dispose();
    }
}
