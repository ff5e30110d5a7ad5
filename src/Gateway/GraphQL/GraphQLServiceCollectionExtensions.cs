using System.Security.Cryptography;
using System.Text;
using Gateway.Hosting;
using Gateway.Paging;
using GraphQL;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.GraphQL;

/// <summary>Composes the GraphQL layer: schema, federation, limits, errors, document cache.</summary>
public static partial class GraphQLServiceCollectionExtensions
{
    /// <summary>
    /// The Apollo Federation version this subgraph links. 2.0 has everything it uses (@key), and
    /// the lowest version is the one the widest range of routers and composition tools accept.
    /// </summary>
    public const string FederationVersion = "2.0";

    /// <summary>The schema and its execution (GraphQL.NET), the paging options, the cursor codec and the resolvers.</summary>
    public static IServiceCollection AddQualityGraphQL(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PagingOptions, PagingOptionsValidator>(PagingOptions.Section)
            .Validate(options => options.DefaultPageSize <= options.MaxPageSize, "Paging:DefaultPageSize may not exceed Paging:MaxPageSize.")
            .Validate(options => string.IsNullOrEmpty(options.CursorSecret) || options.CursorSecret.Length >= 16, "Paging:CursorSecret needs at least 16 characters.");
        services.AddValidatedOptions<DocumentLimitsOptions, DocumentLimitsOptionsValidator>(DocumentLimitsOptions.Section);
        // Read while composing: the timeout, the document cache and introspection decide what
        // GraphQL.NET's builder registers (the same section is validated at start as usual).
        var limits = configuration.ReadWhileComposing<DocumentLimitsOptions>(DocumentLimitsOptions.Section);
        services.AddSingleton(CreateCursorCodec);
        services.AddSingleton<QualityTaskInstancesResolver>();
        services.AddSingleton<QualityTaskInstanceReferenceResolver>();
        services.AddTransient<EntityRepresentations>();

        services.AddGraphQL(builder => builder
            .AddSchema<QualitySchema>()
            .AddFederation(FederationVersion)

            // After federation's own visitor, which adds the _entities field this one adjusts.
            .ConfigureSchema((schema, _) => schema.RegisterVisitor(typeof(EntityRepresentations)))
            .AddGraphTypes(typeof(QualitySchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<GatewayErrorInfoProvider>()

            // Inbound limits: depth and cost (page sizes count), written width, time.
            .AddComplexityAnalyzer((complexity, provider) =>
            {
                var configured = provider.GetRequiredService<IOptions<DocumentLimitsOptions>>().Value;
                complexity.MaxDepth = configured.MaxDepth;
                complexity.MaxComplexity = configured.MaxComplexity;

                // Introspection is answered from the schema in memory and never reaches the
                // upstream; costed like data, one IDE introspection would be "worth" 400,000.
                // Depth and width still bound it. Pages cost what they can fetch (PageCost).
                var dataImpact = PageCost.Impact(complexity.DefaultComplexityImpactDelegate, provider.GetRequiredService<IOptions<PagingOptions>>().Value.MaxPageSize);
                complexity.DefaultComplexityImpactDelegate = field => IsIntrospection(field) ? new FieldComplexityResult(0, 1) : dataImpact(field);
            })
            .AddValidationRule<DocumentSizeValidationRule>()
            .AddValidationRule<SupportedOperationTypesRule>()
            .WithTimeout(limits.ExecutionTimeout, global::GraphQL.Execution.TimeoutAction.ReturnTimeoutError)

            // Spans per operation; the document is not recorded, it may carry literal values.
            .UseTelemetry(telemetry => telemetry.RecordDocument = false)
            .AddUnhandledExceptionHandler(MapUnhandled));
        // Parsing and validating the same documents again and again cost most of a request
        // whose blocks are cached; they are reused instead.
        if (limits.CacheDocuments)
        {
            services.AddGraphQL(builder => builder.ConfigureExecution<ValidatedDocumentCache>());
            services.Replace(ServiceDescriptor.Singleton<IDocumentValidator, CachedDocumentValidator>());
        }

        if (!limits.Introspection)
        {
            services.AddGraphQL(builder => builder.AddValidationRule<global::GraphQL.Validation.Rules.Custom.NoIntrospectionValidationRule>());
        }

        return services;
    }

    private static bool IsIntrospection(FieldImpactContext field) =>
        field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal) || field.ParentType.Name.StartsWith("__", StringComparison.Ordinal);

    private static CursorCodec CreateCursorCodec(IServiceProvider services)
    {
        var secret = services.GetRequiredService<IOptions<PagingOptions>>().Value.CursorSecret;
        if (!string.IsNullOrEmpty(secret))
        {
            return new CursorCodec(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        }

        // A key of this process's own; with Redis the replicas then agree on a shared one
        // (Caching/SharedCursorKey), and the start-up log says which it is.
        return new CursorCodec(RandomNumberGenerator.GetBytes(32));
    }

    // Typed failures (paging, upstream) become coded GraphQL errors; anything else is a bug:
    // logged with its stack trace here, and answered with a generic message.
    private static void MapUnhandled(global::GraphQL.Execution.UnhandledExceptionContext context)
    {
        var options = context.ExecutionOptions;
        if (context.OriginalException is OperationCanceledException && options.CancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (ErrorMapping.ToGraphQLError(context.OriginalException) is { } mapped)
        {
            context.Exception = mapped;
            context.ErrorMessage = mapped.Message;
            return;
        }

        var logger = options.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(QualitySchema));
        if (logger is not null)
        {
            LogUnhandled(logger, context.OriginalException, context.FieldContext?.FieldDefinition.Name ?? "(document)");
        }

        context.Exception = new GatewayError(ErrorCodes.InternalServerError, "An internal error occurred; it has been logged.");
        context.ErrorMessage = context.Exception.Message;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while resolving {Field}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string field);
}
