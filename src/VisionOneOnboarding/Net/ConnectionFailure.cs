using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// A request that reached no server, told apart by cause: a refused connection, an unknown host name or a TLS
    /// failure will not change by trying again a second later (the endpoint is wrong, or nothing listens there), so they
    /// are not retried and their advice is to check the endpoint; a reset or an unreachable network may be passing, so
    /// it is retried. Either way the end is one error, <see cref="ErrorCatalogue.ConnectionFailed"/>, for AWS and Vision
    /// One alike: every further call of the command would fail the same way.
    /// </summary>
    internal static class ConnectionFailure
    {
        /// <summary>True when trying again soon cannot help: the connection was refused, the name is unknown, or TLS failed.</summary>
        public static bool IsPermanent(HttpRequestException ex) => Cause(ex) != null;

        /// <summary>Why a request reached no server, in words, with what to check; <paramref name="endpoint"/> is the URL called and <paramref name="setting"/> the parameters that choose it.</summary>
        public static VisionOneException Error(string service, Uri endpoint, string setting, HttpRequestException ex)
        {
            var where = endpoint.GetLeftPart(UriPartial.Authority);
            var cause = Cause(ex);
            var message = cause != null
                ? "Could not reach " + service + " at " + where + ": " + cause + ". Check " + setting + " (this run used " + where + "); nothing was retried, since the same address would answer the same."
                : "Could not reach " + service + " at " + where + " after several attempts (" + ex.Message + "). Check the network and proxy settings, or " + setting + ", then run the command again.";
            return new VisionOneException(ErrorCatalogue.ConnectionFailed, message, where, ex);
        }

        private static string? Cause(Exception ex)
        {
            for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused: return "the connection was refused (nothing listens on that port)";
                        case SocketError.HostNotFound:
                        case SocketError.NoData: return "the host name is unknown (DNS has no address for it)";
                    }
                }
                if (inner is AuthenticationException) return "the TLS handshake failed (" + inner.Message + ")";
            }
            return null;
        }
    }
}
