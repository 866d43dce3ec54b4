import { requireAccount } from "../../domain/accounts.ts";
import { createLibraryAccount, editProfile } from "../../services/profile.ts";
import { type Command, type OptionSpec, optional, optionalNumber, required } from "../command.ts";

/** The profile options `accounts create` and `accounts update` share. */
const PROFILE_OPTIONS: Record<string, OptionSpec> = {
  name: { type: "string", value: "N", help: "The library's name as readers see it" },
  summary: { type: "string", value: "S", help: "A few sentences about the library" },
  country: { type: "string", value: "LT", help: "Two-letter country code (ISO 3166), such as LT or LV" },
  city: { type: "string", value: "C", help: "City or town" },
  lat: { type: "string", value: "X", help: "Latitude, with --lon: puts the library on the hub's map" },
  lon: { type: "string", value: "Y", help: "Longitude, with --lat" },
  website: { type: "string", value: "URL", help: "The library's website (http or https)" },
  icon: { type: "string", value: "URL", help: "Avatar image (jpeg, png, gif, webp or avif)" },
  image: { type: "string", value: "URL", help: "Header image (jpeg, png, gif, webp or avif)" },
};

const username: OptionSpec = {
  type: "string",
  value: "U",
  required: true,
  help: "1–30 characters from a–z, 0–9 and _",
};

export const accountCommands: Command[] = [
  {
    name: "accounts create",
    summary: "Create a library account (an ActivityPub Organization actor) and print its actor URL.",
    options: {
      username,
      ...PROFILE_OPTIONS,
      name: { ...PROFILE_OPTIONS.name, required: true } as OptionSpec,
      "manual-approval": { type: "boolean", help: "Approve each follower by hand" },
    },
    async run(services, values) {
      const account = await createLibraryAccount(services, {
        username: required(values, "username"),
        name: required(values, "name"),
        summary: optional(values, "summary"),
        country: optional(values, "country"),
        city: optional(values, "city"),
        latitude: optionalNumber(values, "lat"),
        longitude: optionalNumber(values, "lon"),
        website: optional(values, "website"),
        iconUrl: optional(values, "icon"),
        imageUrl: optional(values, "image"),
        manuallyApprovesFollowers: values["manual-approval"] === true,
      });
      console.log(new URL(`/users/${account.username}`, services.config.publicUrl).href);
    },
  },
  {
    name: "accounts update",
    summary:
      "Change a library's profile (options left out keep their values); followers receive an Update of the actor.",
    options: { username, ...PROFILE_OPTIONS },
    async run(services, values) {
      const account = await requireAccount(services.db, required(values, "username"));
      const updated = await editProfile(services, account, {
        name: optional(values, "name") ?? account.name,
        summary: optional(values, "summary") ?? account.summary,
        country: optional(values, "country") ?? account.country ?? undefined,
        city: optional(values, "city") ?? account.city ?? undefined,
        latitude: optionalNumber(values, "lat") ?? account.latitude ?? undefined,
        longitude: optionalNumber(values, "lon") ?? account.longitude ?? undefined,
        website: optional(values, "website") ?? account.website ?? undefined,
        iconUrl: optional(values, "icon") ?? account.iconUrl ?? undefined,
        imageUrl: optional(values, "image") ?? account.imageUrl ?? undefined,
        manuallyApprovesFollowers: account.manuallyApprovesFollowers,
      });
      console.log(new URL(`/users/${updated.username}`, services.config.publicUrl).href);
    },
  },
];
