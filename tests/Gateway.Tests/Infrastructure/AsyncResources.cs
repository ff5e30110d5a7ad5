namespace Gateway.Tests.Infrastructure;

/// <summary>
/// What a fixture has started, disposed in reverse order: a gateway before the emulator and the
/// Redis it talks to. Whatever was started before a failing start is disposed all the same.
/// </summary>
public sealed class AsyncResources : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _started = new();

    /// <summary>Keeps <paramref name="resource"/> to dispose before everything kept earlier; returns it.</summary>
    public T Add<T>(T resource)
        where T : IAsyncDisposable
    {
        _started.Push(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        while (_started.TryPop(out var resource))
        {
            await resource.DisposeAsync();
        }
    }
}

/// <summary>
/// The one lifecycle of the shared fixtures: a fixture says only what it starts, in order, in
/// <see cref="StartAsync"/>, keeping each through <see cref="Started"/>; stopping is the
/// reverse, also after a start that failed half-way.
/// </summary>
public abstract class FixtureLifecycle : IAsyncLifetime
{
    private readonly AsyncResources _resources = new();

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await _resources.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync() => await _resources.DisposeAsync();

    /// <summary>Starts what the fixture provides, in order, each kept through <see cref="Started"/>.</summary>
    protected abstract Task StartAsync();

    /// <summary>Keeps <paramref name="resource"/> to be disposed before everything started earlier.</summary>
    protected T Started<T>(T resource)
        where T : IAsyncDisposable => _resources.Add(resource);

    /// <summary>The resource, once <see cref="StartAsync"/> has started it.</summary>
    protected static T Require<T>(T? resource)
        where T : class => resource ?? throw new InvalidOperationException("Not started.");
}
