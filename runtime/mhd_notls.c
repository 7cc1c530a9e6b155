// SPDX-License-Identifier: Apache-2.0
/*
 * mhd_notls.c — GnuTLS stand-ins for the static tetraload only.
 *
 * Debian's libmicrohttpd.a is compiled with HTTPS support and references
 * these GnuTLS symbols; the real libgnutls.a needs p11-kit and libunistring,
 * which Debian ships without static libraries.  tetraload never starts a TLS
 * daemon (no MHD_USE_TLS), so microhttpd only calls gnutls_global_init()/
 * _deinit() (at library load and unload); everything else fails loudly.
 * Declared with loose prototypes on purpose: only the symbol names matter
 * to the linker, and none of the failing ones is reachable.
 */
#include <stddef.h>
#include <stdlib.h>

int gnutls_global_init(void);
void gnutls_global_deinit(void);
const char *gnutls_strerror(int err);

int gnutls_global_init(void)
{
	return 0;
}

void gnutls_global_deinit(void)
{
}

const char *gnutls_strerror(int err)
{
	(void)err;
	return "TLS is not supported by the static tetraload";
}

void *gnutls_malloc = malloc; /* a variable in GnuTLS (gnutls_alloc_function) */

#define NOTLS(name)                                                                        \
	int name(void);                                                                    \
	int name(void)                                                                     \
	{                                                                                  \
		abort();                                                                   \
	}

NOTLS(gnutls_alpn_set_protocols)
NOTLS(gnutls_bye)
NOTLS(gnutls_certificate_allocate_credentials)
NOTLS(gnutls_certificate_free_credentials)
NOTLS(gnutls_certificate_server_set_request)
NOTLS(gnutls_certificate_set_dh_params)
NOTLS(gnutls_certificate_set_retrieve_function2)
NOTLS(gnutls_certificate_set_retrieve_function3)
NOTLS(gnutls_certificate_set_x509_key_mem)
NOTLS(gnutls_certificate_set_x509_key_mem2)
NOTLS(gnutls_certificate_set_x509_trust_mem)
NOTLS(gnutls_cipher_get)
NOTLS(gnutls_credentials_set)
NOTLS(gnutls_deinit)
NOTLS(gnutls_dh_params_deinit)
NOTLS(gnutls_dh_params_import_pkcs3)
NOTLS(gnutls_dh_params_init)
NOTLS(gnutls_handshake)
NOTLS(gnutls_init)
NOTLS(gnutls_priority_deinit)
NOTLS(gnutls_priority_init)
NOTLS(gnutls_priority_set)
NOTLS(gnutls_protocol_get_version)
NOTLS(gnutls_psk_allocate_server_credentials)
NOTLS(gnutls_psk_free_server_credentials)
NOTLS(gnutls_psk_set_server_credentials_function)
NOTLS(gnutls_record_check_pending)
NOTLS(gnutls_record_get_direction)
NOTLS(gnutls_record_recv)
NOTLS(gnutls_record_send)
NOTLS(gnutls_session_get_ptr)
NOTLS(gnutls_session_set_ptr)
NOTLS(gnutls_transport_set_int2)
