import type { Locale } from "@/i18n/locales";

/**
 * Every user-facing string of sign-in, in one place, per locale. The locale is the request's
 * (i18n/request.ts: the language cookie, else the browser's Accept-Language), so a first visit
 * from an English browser is in English.
 */
const PT_BR = {
  pageTitle: "Entrar · Sentinela",
  heading: "Entrar no Sentinela",
  intro: "Acompanhe a saúde dos canais de WhatsApp dos seus imóveis.",
  emailLabel: "E-mail",
  passwordLabel: "Senha",
  submit: "Entrar",
  submitting: "Entrando…",
  errors: {
    invalidEmail: "Informe um e-mail válido.",
    missingPassword: "Informe a senha.",
    invalidCredentials: "E-mail ou senha incorretos.",
    emailNotConfirmed: "Confirme seu e-mail antes de entrar.",
    rateLimited: "Muitas tentativas. Aguarde um pouco e tente de novo.",
    unavailable: "Não foi possível entrar agora. Tente novamente em instantes.",
    demoOnly: "O acesso de demonstração está desativado.",
    linkInvalid: "O link de acesso é inválido ou expirou. Entre com e-mail e senha.",
  },
  demo: {
    heading: "Usuários de demonstração",
    intro: "Este é um ambiente de demonstração. Todos os usuários usam a senha",
    signInAs: (name: string) => `Entrar como ${name}`,
    signInAsShort: "Entrar como",
  },
};

export type SignInStrings = typeof PT_BR;

const EN: SignInStrings = {
  pageTitle: "Sign in · Sentinela",
  heading: "Sign in to Sentinela",
  intro: "Keep an eye on the health of your properties' WhatsApp channels.",
  emailLabel: "Email",
  passwordLabel: "Password",
  submit: "Sign in",
  submitting: "Signing in…",
  errors: {
    invalidEmail: "Enter a valid email address.",
    missingPassword: "Enter your password.",
    invalidCredentials: "Wrong email or password.",
    emailNotConfirmed: "Confirm your email address before signing in.",
    rateLimited: "Too many attempts. Wait a moment and try again.",
    unavailable: "Signing in is not possible right now. Try again in a moment.",
    demoOnly: "Demo access is turned off.",
    linkInvalid: "The sign-in link is invalid or has expired. Sign in with email and password.",
  },
  demo: {
    heading: "Demo users",
    intro: "This is a demo environment. Every user's password is",
    signInAs: (name: string) => `Sign in as ${name}`,
    signInAsShort: "Sign in as",
  },
};

export function signInStrings(locale: Locale | string): SignInStrings {
  return locale === "en" ? EN : PT_BR;
}
