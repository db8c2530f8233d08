using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Benchmarks.Invocation;

/// <summary>
/// A self-signed certificate for the loopback domain stand-in, so that both implementations talk TLS to
/// it as they would to a domain. The certificate is trusted the ordinary way, not by switching checks off:
/// its PEM file is given to .NET as <c>SSL_CERT_FILE</c> and to Node as <c>NODE_EXTRA_CA_CERTS</c>.
/// </summary>
public sealed class LoopbackCertificate : IDisposable
{
    /// <summary>The host name the Node blueprint signs and sends as <c>Host</c> (its endpoint must look like a domain's).</summary>
    public const string DomainHost = "search-bench.eu-west-1.es.amazonaws.com";

    private LoopbackCertificate(X509Certificate2 certificate, string pemPath)
    {
        Certificate = certificate;
        PemPath = pemPath;
    }

    /// <summary>The certificate with its private key, for the server.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate (no key) as a PEM file, for the clients' trust.</summary>
    public string PemPath { get; }

    /// <summary>Creates a P-256 certificate for 127.0.0.1, localhost and <see cref="DomainHost"/>, valid for a day.</summary>
    public static LoopbackCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(DomainHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Round-trip through PKCS#12 so the key is usable by the TLS server on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var pem = Path.Combine(Path.GetTempPath(), $"invocation-cost-{Environment.ProcessId}.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n");
        return new LoopbackCertificate(certificate, pem);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        File.Delete(PemPath);
    }
}
