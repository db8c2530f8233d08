using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TestSupport;

/// <summary>Starts a minimal Kestrel app on 127.0.0.1 and a free port, for the test doubles.</summary>
public static class Kestrel
{
    /// <summary>A builder bound to loopback, port 0, with framework logging silenced.</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
            o.AllowSynchronousIO = false;
        });
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts the app and returns its base address.</summary>
    public static async Task<Uri> StartAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
