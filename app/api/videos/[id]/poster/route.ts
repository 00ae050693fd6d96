import { videoImageHandler } from "@/lib/http/video-images";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = videoImageHandler("poster");

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
