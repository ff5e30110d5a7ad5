using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Runs every options validator (everything registered with ValidateOnStart) before the host
/// starts, so that a bad setting ends the process with one log line per broken rule, each
/// naming its key, instead of a host start-up failure with a stack trace.
/// </summary>
public static partial class StartupValidation
{
    /// <summary>True when the configuration is valid; otherwise logs why and returns false (the caller exits non-zero).</summary>
    public static bool Passes(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var problems = Problems(services);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Startup");
        foreach (var problem in problems)
        {
            LogInvalidSetting(logger, problem);
        }

        return problems.Count == 0;
    }

    /// <summary>Every problem with the configuration, one message per broken rule, each naming its key; empty when the gateway may start.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var problems = RenamedSettings.Problems(services.GetRequiredService<IConfiguration>()).ToList();
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        // InvalidOperationException: a value that does not bind to its type (the binder's
        // message names the key).
        catch (Exception exception) when (exception is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            problems.AddRange(Failures(exception));
        }

        return problems;
    }

    /// <summary>Every failure message, flattened out of the exceptions the validator throws.</summary>
    private static IEnumerable<string> Failures(Exception exception) => exception switch
    {
        // Distinct: a validator that reads other options (the single-flight's reads Upstream)
        // meets their failures too.
        OptionsValidationException options => options.Failures.Select(OptionsKeys.Describe).Distinct(),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Failures).Distinct(),
        _ => [exception.Message],
    };

    [LoggerMessage(Level = LogLevel.Critical, Message = "Invalid configuration, the gateway does not start: {Failure}")]
    private static partial void LogInvalidSetting(ILogger logger, string failure);
}
