using System.Collections.Concurrent;

namespace QualityApi.Emulator;

/// <summary>Generates each project's data set on first use and keeps it for the life of the host.</summary>
internal sealed class DatasetStore(EmulatorSettings settings)
{
    private readonly ConcurrentDictionary<string, Lazy<ProjectDataset>> projects = new(StringComparer.Ordinal);

    public ProjectDataset Get(string projectId)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        // Lazy makes concurrent first calls for one project generate it once.
        return projects.GetOrAdd(
            projectId,
            static (id, s) => new Lazy<ProjectDataset>(() => ProjectDataset.Generate(id, s.Seed, s.InstancesPerProject, s.RunningOnlyInNewest)),
            settings).Value;
    }

    /// <summary>The project ids generated so far.</summary>
    public IReadOnlyCollection<string> ProjectIds => [.. projects.Keys];
}
