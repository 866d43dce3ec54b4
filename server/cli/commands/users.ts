import { createUser, ROLES } from "../../domain/users.ts";
import { type Command, readStdin, required, UsageError } from "../command.ts";

export const userCommands: Command[] = [
  {
    name: "users create",
    summary: "Create a person who can sign in to the admin. The password is read from standard input.",
    options: {
      email: { type: "string", value: "E", required: true, help: "Email address to sign in with" },
      role: { type: "string", value: ROLES.join("|"), required: true, help: "What the person may do" },
      "password-stdin": {
        type: "boolean",
        required: true,
        help: "Read the password (10 characters or more) from standard input; never from arguments",
      },
    },
    async run({ db }, values) {
      const email = required(values, "email");
      const role = required(values, "role");
      if (!ROLES.includes(role as (typeof ROLES)[number])) {
        throw new UsageError(`--role must be ${ROLES.join(", ")}`);
      }
      if (values["password-stdin"] !== true) {
        throw new UsageError("--password-stdin is required (never pass passwords as arguments)");
      }
      const user = await createUser(db, { email, role, password: await readStdin("password-stdin") });
      console.log(`Created ${user.role} ${user.email}`);
    },
  },
];
