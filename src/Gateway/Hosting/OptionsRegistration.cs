using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>How every options class of the gateway is bound and validated.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to its configuration section and checks it with its
    /// generated validator (which recurses into nested sections) when the gateway starts, so a
    /// bad value stops start-up instead of failing requests later.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// A section read while the services are composed (to decide what to register). A value that
    /// does not bind yields the defaults here; the same section bound through the options system
    /// then stops start-up with the key named.
    /// </summary>
    public static TOptions ReadWhileComposing<TOptions>(this IConfiguration configuration, string section)
        where TOptions : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            return configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException)
        {
            return new TOptions();
        }
    }
}
