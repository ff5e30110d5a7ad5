using Microsoft.Extensions.Options;

namespace Gateway.Caching;

[OptionsValidator]
public sealed partial class SingleFlightOptionsValidator : IValidateOptions<SingleFlightOptions>;
